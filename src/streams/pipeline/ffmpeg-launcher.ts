/**
 * How FFmpeg is started. Where util-linux's `chrt` works (Linux), FFmpeg runs under SCHED_BATCH:
 * the scheduler never lets a batch process that just woke up preempt the running one. Every write
 * into an FFmpeg's stdin wakes that FFmpeg; as a normal process it would take the CPU from the Node
 * event loop in the middle of the chunk it is handling, so every stream's write waited for some
 * FFmpeg's turn. CPU shares do not change with SCHED_BATCH alone, only who waits on a wake-up;
 * FFMPEG_NICE (niceLauncher) lowers them.
 * Measured on 2 cores, 20 streams: server-added latency p50 0.81 → 0.07 ms, p99 2.0 → 0.7 ms,
 * CPU per stream unchanged within noise.
 */
import { execFile } from 'node:child_process';
import type { FfmpegSched } from '../../config/ingest-limits';

export const SCHED_BATCH_LAUNCHER: readonly string[] = ['chrt', '--batch', '0'];

/**
 * `nice -n <n>` in front of the SCHED_BATCH launcher (FFMPEG_NICE, issue 16 item 10): when FFmpeg
 * wants more CPU than there is (a reconnect storm on a small machine), the event loop that serves
 * every socket gets it first; FFmpeg's input queue absorbs (and if need be drops) the difference.
 * With spare CPU it changes nothing. 0: not niced.
 */
export function niceLauncher(nice: number): readonly string[] {
  return nice > 0 ? ['nice', '-n', String(nice), ...SCHED_BATCH_LAUNCHER] : SCHED_BATCH_LAUNCHER;
}

/** `command args…`, started through `launcher` (a command prefix that execs its arguments) if any. */
export function launchCommand(
  command: string,
  args: readonly string[],
  launcher: readonly string[] = [],
): { command: string; args: readonly string[] } {
  const [first, ...rest] = launcher;
  if (first === undefined) return { command, args };
  return { command: first, args: [...rest, command, ...args] };
}

/**
 * SCHED_IDLE (FFMPEG_SCHED=idle, issue 16 item 10): FFmpeg gets the CPU the app leaves, and a waking
 * app preempts a running FFmpeg at once. Niceness alone was not enough in a reconnect storm: 150
 * FFmpegs at nice 10 weigh 16 times the app's one event loop, which then got its fair ~6% of a core
 * and waited in the run queue 70% of the time (profiled: 10–15 s of 17 s). An idle FFmpeg weighs
 * 3/1024 of a normal process (the kernel ignores its nice value). Not the default: with the spawn
 * gate, batch at nice 10 stalled the loop 324 ms admitting and 375 ms streaming a 150-stream storm,
 * idle 68 ms admitting but 2.3 s streaming; and an idle FFmpeg yields to every other normal process in
 * its cgroup too (a browser on a shared test host delayed a quality switch's new publish by seconds).
 */
export const SCHED_IDLE_LAUNCHER: readonly string[] = ['chrt', '--idle', '0'];

/** The launcher for FFMPEG_SCHED and FFMPEG_NICE (which only `batch` uses). */
export function schedLauncher(sched: FfmpegSched, nice: number): readonly string[] {
  return sched === 'idle' ? SCHED_IDLE_LAUNCHER : niceLauncher(nice);
}

/**
 * The launcher of `sched` (and `nice`) when `chrt … <ffmpeg> -version` runs here, else none: without
 * chrt, or with an FFmpeg that cannot start (whose spawn error then reaches the pipeline as before).
 */
export function launcherFor(
  ffmpegPath: string,
  { sched = 'batch', nice = 0 }: { sched?: FfmpegSched; nice?: number } = {},
  timeoutMs = 5000,
): Promise<readonly string[]> {
  const launcher = schedLauncher(sched, nice);
  const { command, args } = launchCommand(ffmpegPath, ['-hide_banner', '-version'], launcher);
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs }, (err) => resolve(err ? [] : launcher));
  });
}
