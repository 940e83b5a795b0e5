import type { Logger } from '@nestjs/common';
import { type IngestCodecs, type PipelineOutput, buildFfmpegArgs, describeCodecs } from './ffmpeg-args';
import { hlsAppendOffset } from './hls-append';
import { launchCommand } from './ffmpeg-launcher';
import { FfmpegProcess, type ProcessExit, type Spawner } from './ffmpeg-process';
import { OutputRelays } from './output-relays';
import { type SessionSpawner, type SpawnedChild, SpawnerClosedError } from './session-spawner';
import type { SpawnGate } from './spawn-gate';

/** How long a new FFmpeg waits for the previous one's publish to end at its receivers. */
export const PREVIOUS_PUBLISH_WAIT_MS = 3_000;

export interface FfmpegSlotOptions {
  output: PipelineOutput;
  /** Destinations with a key through loopback relays that put it in (output-relays.ts). */
  relay?: boolean;
  ffmpegPath: string;
  spawn?: Spawner;
  launcher?: readonly string[];
  /** FFmpeg spawns one at a time, spaced out (spawn-gate.ts); none: at once. */
  spawnGate?: SpawnGate;
  /** FFmpeg is started by this helper process, in a session of its own (session-spawner.ts). */
  spawner?: SessionSpawner;
  label: string;
}

/** What the slot asks of its pipeline. */
export interface FfmpegSlotHost {
  /** The codecs FFmpeg is started for (those of the current WebM stream). */
  codecs(): IngestCodecs;
  /** A new FFmpeg runs: listen to it and feed it. */
  started(proc: FfmpegProcess): void;
  /** The relay could not be opened: the pipeline fails. */
  relayFailed(err: Error): void;
  /** No FFmpeg can be started any more (the app is shutting down): the pipeline fails. */
  cannotStart(reason: string): void;
  /** The pipeline has ended or failed: a late relay is closed, not used. */
  isFinal(): boolean;
  /** Runs a callback so that a throw fails the pipeline, never the process. */
  guarded(what: string, fn: () => void): void;
}

/**
 * The pipeline's current FFmpeg and, with `relay`, the loopback relays it publishes to (the RTMP
 * output, each restream target), so no stream key is on FFmpeg's argv. At most one FFmpeg is current;
 * a start waiting for its relays to listen is cancelled by the next `spawn()` or `cancel()`.
 */
export class FfmpegSlot {
  /** The running FFmpeg, if any. */
  proc: FfmpegProcess | undefined;
  /** The most recent FFmpeg, still known once it has exited (its stderr explains a failure). */
  private lastProc: FfmpegProcess | undefined;
  private relay: OutputRelays | undefined;
  /** An FFmpeg start waiting for its relay to listen; bumping `gen` cancels it. */
  pending: Promise<void> | undefined;
  private gen = 0;
  /**
   * The previous FFmpeg's relays until their receivers saw that publish end: a new publish of the same
   * key before then is refused ("Already publishing"), and nginx's recorder clobbers the open file.
   */
  private previous: Promise<void> = Promise.resolve();
  /** The current FFmpeg was killed for not reading its input. */
  private stallKilled = false;

  constructor(
    private readonly options: FfmpegSlotOptions,
    private readonly host: FfmpegSlotHost,
    private readonly log: Logger,
  ) {}

  /** Starts a new FFmpeg (after its relay listens, with `relay`; in its turn, with `spawnGate`). */
  spawn(): void {
    const output = this.options.output;
    const gen = ++this.gen;
    this.closeRelay();
    const relayed = !!this.options.relay && OutputRelays.needed(output);
    const { spawnGate: gate, spawner } = this.options;
    if (!relayed && !gate && !spawner) return this.start(this.argsFor(output));
    this.proc = undefined;
    const inTurn = <T>(fn: () => T): Promise<T> => (gate ? gate.run(fn) : Promise.resolve(fn()));
    const spawned = this.previous
      .then(() => (relayed ? OutputRelays.open(output) : undefined))
      .then(
        async (relay) => {
          const args = this.argsFor(relay?.output ?? output);
          const begin = (child?: SpawnedChild): void =>
            this.host.guarded('spawn', () => {
              if (this.pending === spawned) this.pending = undefined;
              if (gen !== this.gen || this.host.isFinal()) {
                child?.kill('SIGKILL');
                return relay?.close();
              }
              this.start(args, relay, child);
            });
          // Forked here: in its own turn. By the spawner: the request goes in its turn, FFmpeg follows.
          if (!spawner) return inTurn(() => begin());
          const child = await inTurn(() => this.spawnRemote(args));
          if (child !== null) return begin(child);
          // The spawner was closed under it: no FFmpeg, forked by anyone, may outlive the app.
          relay?.close();
          this.host.guarded('spawn', () => {
            if (this.pending === spawned) this.pending = undefined;
            if (gen === this.gen && !this.host.isFinal()) this.host.cannotStart('the app is shutting down');
          });
        },
        (err: Error) => this.host.guarded('relay', () => this.host.relayFailed(err)),
      )
      .then(() => undefined);
    this.pending = spawned;
  }

  /**
   * FFmpeg started by the session spawner, if there is one; undefined (a direct spawn follows, which
   * reports its own errors) when there is none or it failed; null once it is closed (shutdown).
   */
  private async spawnRemote(args: string[]): Promise<SpawnedChild | undefined | null> {
    const { spawner, ffmpegPath, launcher } = this.options;
    if (!spawner) return undefined;
    const launch = launchCommand(ffmpegPath, args, launcher ?? []);
    try {
      return await spawner.spawn(launch.command, launch.args);
    } catch (e) {
      if (e instanceof SpawnerClosedError) return null;
      this.log.warn(`[${this.options.label}] spawner: ${(e as Error).message}; spawning directly`);
      return undefined;
    }
  }

  /** Kills the current FFmpeg (it has nothing more to do) and starts a new one. */
  respawn(): void {
    this.proc?.kill('SIGKILL');
    this.spawn();
  }

  /** A start waiting for its relay will not happen. */
  cancel(): void {
    this.gen++;
  }

  isCurrent(proc: FfmpegProcess): boolean {
    return proc === this.proc;
  }

  /**
   * Kills the current FFmpeg when it has not read its input for longer than `timeoutMs` (0: never)
   * although data waits: its output is stuck (a dead or frozen connection). Its exit counts as a
   * stall; the restart policy reconnects. The relay's upstream counts too: kernel buffers between
   * FFmpeg and the relay hide its stall.
   */
  killIfStalled(queueStalledMs: number, timeoutMs: number): void {
    const stalledMs = Math.max(queueStalledMs, this.relay?.stalledForMs() ?? 0);
    if (!this.proc || timeoutMs <= 0 || stalledMs <= timeoutMs) return;
    this.log.warn(
      `[${this.options.label}] ffmpeg ${this.proc.pid ?? '?'} stalled for ${Math.round(stalledMs)} ms`,
    );
    this.stallKilled = true;
    this.proc.kill('SIGKILL');
  }

  /**
   * The current FFmpeg has exited: forget it and close its relays (after a clean exit they finish
   * what they hold, otherwise they abort), and tell how it ended.
   */
  released(exit: ProcessExit): { stalled: boolean; relayError: string | null } {
    const ended = { stalled: this.stallKilled, relayError: this.relay?.lastError ?? null };
    this.stallKilled = false;
    this.proc = undefined;
    this.closeRelay(exit.code === 0 && !exit.signal ? 'finish' : 'abort');
    return ended;
  }

  /** Why restream target `index` of `proc` failed as its relay saw it; null once `proc` is not current. */
  slaveReason(proc: FfmpegProcess, index: number): string | null {
    return proc === this.proc ? (this.relay?.slaveReason(index) ?? null) : null;
  }

  /** The stderr of the current or last FFmpeg (not masked). */
  recentStderr(): string[] {
    return (this.proc ?? this.lastProc)?.recentStderr() ?? [];
  }

  closeRelay(how: 'abort' | 'finish' = 'abort'): void {
    const old = this.relay;
    if (!old) return;
    old.close(how);
    this.relay = undefined;
    // A finishing relay gets PREVIOUS_PUBLISH_WAIT_MS to deliver what it holds, then it is reset.
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        old.close('abort');
        resolve();
      }, PREVIOUS_PUBLISH_WAIT_MS);
      timer.unref();
    });
    this.previous = Promise.race([old.settled(), cap]).finally(() => clearTimeout(timer));
  }

  private start(args: string[], relay?: OutputRelays, child?: SpawnedChild): void {
    const { ffmpegPath, spawn, launcher } = this.options;
    const codecs = this.host.codecs();
    const proc = child
      ? new FfmpegProcess(ffmpegPath, args, () => child.asChildProcess())
      : new FfmpegProcess(ffmpegPath, args, spawn, launcher);
    if (relay) {
      this.relay = relay;
      relay.expectPeer(proc.pid);
      relay.onWarn((m) => this.log.warn(`[${this.options.label}] relay: ${m}`));
    }
    this.proc = this.lastProc = proc;
    this.host.started(proc);
    this.log.log(`[${this.options.label}] ffmpeg ${proc.pid ?? '?'} started (${describeCodecs(codecs)})`);
  }

  /** HLS continues an existing playlist, its timestamps after what is listed (hls-append.ts). */
  private argsFor(output: PipelineOutput): string[] {
    const codecs = this.host.codecs();
    const offset = this.options.output.kind === 'hls' ? hlsAppendOffset(this.options.output.dir) : null;
    return buildFfmpegArgs(codecs, output, { tsOffsetSec: offset ?? undefined });
  }
}
