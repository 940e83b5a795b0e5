import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  SCHED_BATCH_LAUNCHER,
  SCHED_IDLE_LAUNCHER,
  launchCommand,
  launcherFor,
  niceLauncher,
} from './ffmpeg-launcher';
import { FfmpegProcess } from './ffmpeg-process';

/** Scheduling policy of a live process (/proc/<pid>/stat field 41): 0 normal, 3 batch, 5 idle. */
const policyOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[41 - 3]);
};

/** Nice value of a live process (/proc/<pid>/stat field 19). */
const niceOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19 - 3]);
};

const hasChrt = ((): boolean => {
  try {
    execFileSync('chrt', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * Runs an FFmpeg that reads nothing through `launcher`, checks that it is FFmpeg itself (chrt has
 * exec'd it by 300 ms), runs `check` with its pid, then ends it.
 */
async function whileRunning(launcher: readonly string[], check: (pid: number) => void): Promise<void> {
  const p = new FfmpegProcess(
    'ffmpeg',
    ['-hide_banner', '-f', 'matroska', '-i', 'pipe:0', '-f', 'null', '-'],
    undefined,
    launcher,
  );
  try {
    await new Promise((r) => setTimeout(r, 300));
    expect(readFileSync(`/proc/${p.pid}/comm`, 'utf8').trim()).toBe('ffmpeg');
    check(p.pid!);
  } finally {
    p.endInput();
    await p.waitForExit();
  }
}

describe('FFmpeg launcher', () => {
  it('puts the launcher in front of the command', () => {
    expect(launchCommand('ffmpeg', ['-i', 'pipe:0'])).toEqual({ command: 'ffmpeg', args: ['-i', 'pipe:0'] });
    expect(launchCommand('/usr/bin/ffmpeg', ['-i', 'pipe:0'], SCHED_BATCH_LAUNCHER)).toEqual({
      command: 'chrt',
      args: ['--batch', '0', '/usr/bin/ffmpeg', '-i', 'pipe:0'],
    });
  });

  it('offers no launcher for an FFmpeg that cannot start, so its spawn error surfaces as before', async () => {
    expect(await launcherFor('/nonexistent/ffmpeg')).toEqual([]);
    expect(await launcherFor('/nonexistent/ffmpeg', { sched: 'idle' })).toEqual([]);
  });

  it('runs FFmpeg under SCHED_BATCH where chrt works, with the stdio and pid of FFmpeg itself', async () => {
    const launcher = await launcherFor('ffmpeg');
    if (!hasChrt) return expect(launcher).toEqual([]);
    expect(launcher).toEqual(SCHED_BATCH_LAUNCHER);
    await whileRunning(launcher, (pid) => {
      expect(policyOf(pid)).toBe(3);
    });
  });

  it('FFMPEG_NICE: FFmpeg runs niced (and batch), still as the process the pipeline spawned', async () => {
    const launcher = await launcherFor('ffmpeg', { sched: 'batch', nice: 10 });
    if (!hasChrt) return expect(launcher).toEqual([]);
    expect(launcher).toEqual(niceLauncher(10));
    expect(niceLauncher(0)).toEqual(SCHED_BATCH_LAUNCHER);
    await whileRunning(launcher, (pid) => {
      expect(niceOf(pid)).toBe(10 + niceOf(process.pid));
      expect(policyOf(pid)).toBe(3);
    });
  });

  it('FFMPEG_SCHED=idle: FFmpeg runs under SCHED_IDLE (the app preempts it; FFMPEG_NICE unused)', async () => {
    const launcher = await launcherFor('ffmpeg', { sched: 'idle', nice: 10 });
    if (!hasChrt) return expect(launcher).toEqual([]);
    expect(launcher).toEqual(SCHED_IDLE_LAUNCHER);
    await whileRunning(launcher, (pid) => {
      expect(policyOf(pid)).toBe(5);
    });
  });
});
