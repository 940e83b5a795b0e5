import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { StateMachine } from '../../common/state-machine';
import { ByteQueue } from './byte-queue';
import type { LatencySummary } from './diagnostics';
import { maskStreamKey, parseIngestMime } from './ffmpeg-args';
import type { FfmpegProgress, FfmpegProcess, ProcessExit } from './ffmpeg-process';
import { FfmpegSlot } from './ffmpeg-slot';
import { endPlaylist, exitReason, fatalExit } from './pipeline-exit';
import { PipelineInput } from './pipeline-input';
import { pipelineLifecycle } from './pipeline-lifecycle';
import { PipelineMeter } from './pipeline-meter';
import { ReplayBuffer } from './replay-buffer';
import { RestreamTracker } from './restream-tracker';
import { RestartPolicy } from './restart-policy';
import {
  type FfmpegPipelineEvents,
  type FfmpegPipelineOptions,
  type PipelineFailureKind,
  type PipelineState,
  type PipelineStats,
  UnsupportedMediaError,
} from './pipeline.types';

export * from './pipeline.types';

const MiB = 1024 * 1024;

/**
 * One live ingest: WebM chunks from the socket → splitter → bounded queue → FFmpeg → RTMP or HLS.
 * Restarts a crashed FFmpeg per the restart policy, replaying the init segment and everything since
 * the last keyframe Cluster; gives up with `failed` after too many failures. Its states follow
 * PIPELINE_TRANSITIONS (pipeline-lifecycle.ts); the current FFmpeg and its relay live in FfmpegSlot,
 * the counters in PipelineMeter.
 */
export class FfmpegPipeline extends EventEmitter<FfmpegPipelineEvents> {
  private readonly log = new Logger(FfmpegPipeline.name);
  private readonly queue: ByteQueue;
  private readonly policy: RestartPolicy;
  private readonly meter: PipelineMeter;
  private readonly slot: FfmpegSlot;
  private readonly lifecycle: StateMachine<PipelineState>;
  private readonly input: PipelineInput;
  /** Local mode's restream targets (tee slaves), when there are any. */
  private readonly restream: RestreamTracker | null;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly statusTimer: NodeJS.Timeout;
  private stopping: Promise<void> | undefined;
  private resolveStopped: (() => void) | undefined;
  /** stop()'s flush: what is left of the input still goes out until it is done, idle or late. */
  private drain:
    | {
        idleMs: number;
        deadline: number;
        activeAt: number;
        seen: { proc: FfmpegProcess; ticks: number; pending: number } | undefined;
        expired: boolean;
      }
    | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  /** The current FFmpeg has reported progress (its output is open). */
  private outputOpened = false;
  /** stop() (not kill()) was asked: the HLS playlist gets its end marker once FFmpeg is gone. */
  private endPlaylist = false;

  constructor(private readonly options: FfmpegPipelineOptions) {
    super();
    const codecs = parseIngestMime(options.mimeType);
    if (!codecs) throw new UnsupportedMediaError(options.mimeType);
    this.lifecycle = pipelineLifecycle(() => this.emitStatus());
    this.meter = new PipelineMeter(options.onWriteLatency);
    this.queue = new ByteQueue({
      maxBytes: options.queueBytes ?? 8 * MiB,
      onWritten: (item) => this.meter.written(item),
      onCongestion: () => this.emitStatus(),
    });
    this.policy = new RestartPolicy({ ...options.restart, clock: options.clock });
    const slaves = options.output.kind === 'hls' ? (options.output.restream ?? []) : [];
    this.restream = slaves.length ? new RestreamTracker(slaves) : null;
    this.slot = new FfmpegSlot(
      options,
      {
        codecs: () => this.input.codecs,
        started: (proc) => this.started(proc),
        relayFailed: (err) => this.fail('spawn-failed', `relay: ${err.message}`),
        cannotStart: (reason) => this.fail('spawn-failed', reason),
        isFinal: () => this.lifecycle.final,
        guarded: (what, fn) => this.guarded(what, fn),
      },
      this.log,
    );
    const replay = new ReplayBuffer(options.replayBytes ?? 4 * MiB);
    this.input = new PipelineInput(codecs, options.mimeType, options.label, this.queue, replay, this.log, {
      codecsCorrected: () => {
        this.queue.detach();
        this.slot.respawn();
      },
      fail: (kind, reason) => this.fail(kind, reason),
    });
    this.statusTimer = setInterval(
      () => this.guarded('status tick', () => this.tick()),
      options.statusIntervalMs ?? 1000,
    );
    this.statusTimer.unref();
    this.slot.spawn();
  }

  /** A media chunk from the socket. Ignored once the pipeline is stopping, ended or failed. */
  push(chunk: Buffer): void {
    if (this.lifecycle.is('stopping', 'ended', 'failed')) return;
    this.input.push(chunk);
  }

  /** Highest WebM media time (ms) parsed in the current WebM stream of the input. */
  get mediaMs(): number {
    return this.input.mediaMs;
  }

  /** How many WebM streams (EBML headers) the input has carried. */
  get segments(): number {
    return this.input.segments;
  }

  stats(): PipelineStats {
    return {
      state: this.lifecycle.state,
      bytesIn: this.input.bytesIn,
      bytesOut: this.queue.bytesWritten,
      queueBytes: this.queue.bytes,
      droppedClusters: this.queue.droppedClusters,
      droppedBytes: this.queue.droppedBytes,
      restarts: this.meter.restarts,
      congested: this.queue.congested,
      lastExitReason: this.meter.lastExitReason,
      outputBytes: this.meter.outputBytes,
      outputTimeMs: this.meter.outputTimeMs,
      pid: this.slot.proc?.pid ?? null,
      ...(this.restream && { restream: this.restream.snapshot() }),
    };
  }

  /** FFmpeg's last stderr lines (stream key masked). */
  recentStderr(): string[] {
    return this.slot.recentStderr().map((l) => this.mask(l));
  }

  /** Server-added latency per write: arrival of the completing chunk in push() → write into stdin (ms). */
  latencySamples(): number[] {
    return this.meter.latencySamples();
  }

  latencySummary(): LatencySummary {
    return this.meter.latencySummary();
  }

  /**
   * Ends the input and lets what is left of it go out; resolves once the pipeline has ended. What is
   * left goes out whatever happens meanwhile: a new WebM stream queued behind the current one gets its
   * FFmpeg, and an FFmpeg that exits before its output opened (a receiver refusing the publish) or
   * that was waiting out a restart delay is restarted with the replay. FFmpeg is SIGKILLed only once
   * it has made no progress (no `-progress` report, no input taken, no CPU time used) for `idleMs`, or
   * when `maxMs` have passed: a starved FFmpeg that is still working is waited for.
   */
  stop(idleMs = 5000, maxMs = 30_000): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.lifecycle.final) return Promise.resolve();
    const backingOff = this.lifecycle.is('restarting') && !this.slot.proc && !this.slot.pending;
    this.lifecycle.to('stopping');
    this.endPlaylist = true;
    clearTimeout(this.restartTimer);
    this.input.end();
    this.stopping = new Promise((resolve) => (this.resolveStopped = resolve));
    if (backingOff) this.restart(0);
    if (!this.slot.proc && !this.slot.pending) {
      this.finish('ended');
      return this.stopping;
    }
    const now = performance.now();
    this.drain = { idleMs, deadline: now + maxMs, activeAt: now, seen: undefined, expired: false };
    this.drainTimer = setInterval(
      () => this.guarded('drain', () => this.watchDrain()),
      Math.min(250, idleMs),
    );
    if (this.slot.proc) this.queue.endWhenDrained();
    return this.stopping;
  }

  /** Shutdown: a flush stop() is running gets at most `maxMs` more (main.ts has a deadline). */
  hurry(maxMs: number): void {
    const d = this.drain;
    if (d) d.deadline = Math.min(d.deadline, performance.now() + maxMs);
  }

  /**
   * Kills the current FFmpeg once it has made no progress for the drain's idleMs, or at its deadline.
   * Signs of work: a `-progress` report (onProgress), input taken (from the queue or from its stdin
   * stream's buffer), CPU time spent (a starved transcode that has not opened its output yet).
   */
  private watchDrain(): void {
    const d = this.drain;
    if (!d) return;
    const now = performance.now();
    const proc = this.slot.proc;
    if (proc) {
      const at = { proc, ticks: proc.cpuTicks(), pending: this.queue.bytes + proc.stdin.writableLength };
      const prev = d.seen;
      if (!prev || prev.proc !== proc || at.ticks > prev.ticks || at.pending < prev.pending) d.activeAt = now;
      d.seen = at;
    } else d.activeAt = now; // a new FFmpeg on its way (bounded by the deadline)
    if (now - d.activeAt < d.idleMs && now < d.deadline) return;
    d.expired = true;
    if (proc) return proc.kill('SIGKILL');
    this.slot.cancel();
    this.finish('ended');
  }

  /** FFmpeg exited while stop() lets the input out: go on with what is left, or end. */
  private exitWhileStopping(exit: ProcessExit, switching: boolean, hadOutput: boolean): void {
    const d = this.drain;
    if (d && !d.expired) {
      if (switching) return this.slot.spawn(); // the next WebM stream still goes out
      // (only with media to send: an FFmpeg that got no input at all fails the same way)
      if ((exit.code !== 0 || exit.signal) && !hadOutput && this.input.initItem) {
        const decision = this.policy.recordFailure('crash');
        if (decision.action !== 'give-up') {
          this.log.warn(
            `[${this.options.label}] ffmpeg ${exit.pid ?? '?'} ended before its output opened: retrying`,
          );
          return this.restart(0);
        }
      }
    }
    this.finish('ended');
  }

  /** Fails the pipeline from outside, e.g. its output cannot be written (a full disk): `failed` follows. */
  abort(kind: PipelineFailureKind, reason: string): void {
    this.fail(kind, reason);
  }

  /** Kills FFmpeg at once (the socket went away); `exit` follows. */
  kill(): void {
    if (this.lifecycle.final) return;
    this.lifecycle.to('stopping');
    this.drain = undefined; // nothing more goes out
    clearTimeout(this.restartTimer);
    this.queue.clear();
    this.slot.cancel();
    const proc = this.slot.proc;
    if (!proc) return this.finish('ended');
    this.stopping ??= proc.waitForExit().then(() => undefined);
    proc.kill('SIGKILL');
  }

  private tick(): void {
    const stallTimeoutMs = this.options.stallTimeoutMs ?? 20_000;
    if (!this.lifecycle.is('stopping')) this.slot.killIfStalled(this.queue.stalledForMs(), stallTimeoutMs);
    this.emitStatus(false);
  }

  private started(proc: FfmpegProcess): void {
    this.meter.newProcess();
    proc.on('progress', (p) => this.guarded('progress', () => this.onProgress(proc, p)));
    if (this.restream) {
      const tracker = this.restream;
      tracker.restarted((i) => this.slot.slaveReason(proc, i));
      proc.on('stderr', (text) => {
        if (this.slot.isCurrent(proc) && tracker.stderr(text)) this.emitStatus();
      });
    }
    proc.on('exit', (exit) => this.guarded('exit', () => this.onExit(proc, exit)));
    this.outputOpened = false;
    this.queue.attach(proc.stdin);
    // Started while stop() lets the input out: its input ends once the queue is empty (after the
    // restart's replay, queued right after this spawn).
    if (this.lifecycle.is('stopping'))
      queueMicrotask(() => this.slot.isCurrent(proc) && this.queue.endWhenDrained());
  }

  private onProgress(proc: FfmpegProcess, p: FfmpegProgress): void {
    if (!this.slot.isCurrent(proc)) return;
    this.outputOpened = true;
    if (this.drain) this.drain.activeAt = performance.now();
    this.meter.progress(p);
    this.input.written(p.outTimeMs);
    if (this.restream?.outputStarted()) this.emitStatus();
    if (this.lifecycle.is('starting', 'restarting')) this.lifecycle.to('running');
  }

  /** Timer and child-process callbacks: a throw fails this pipeline, never the process. */
  private guarded(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.error(`[${this.options.label}] ${what} failed: ${(e as Error).stack ?? String(e)}`);
      try {
        this.fail('internal', `internal error (${what})`);
      } catch {
        // failing is best effort here; the process guard logs anything further
      }
    }
  }

  private onExit(proc: FfmpegProcess, exit: ProcessExit): void {
    const current = this.slot.isCurrent(proc);
    const switching = current && this.queue.waitingForNewSink;
    const expected = !current || switching || this.lifecycle.is('stopping', 'failed', 'ended');
    const hadOutput = this.outputOpened;
    const how = current ? this.slot.released(exit) : { stalled: false, relayError: null };
    const stallTimeoutMs = this.options.stallTimeoutMs ?? 20_000;
    const reason = exitReason(exit, { ...how, stallTimeoutMs }, (t) => this.mask(t));
    if (current) {
      this.queue.detach();
      this.meter.lastExitReason = reason;
      this.restream?.stopped();
    }
    this.emit('exit', { pid: exit.pid, code: exit.code, signal: exit.signal, reason, expected });
    if (!current) return;
    if (this.lifecycle.is('stopping')) return this.exitWhileStopping(exit, switching, hadOutput);
    if (this.lifecycle.final) return;
    if (switching) return this.slot.spawn(); // it finished the previous WebM stream
    this.log.warn(`[${this.options.label}] ffmpeg ${exit.pid ?? '?'} ${reason}`);
    const fatal = fatalExit(exit, reason);
    if (fatal) return this.fail(fatal.kind, fatal.reason);
    const decision = this.policy.recordFailure(how.stalled ? 'stall' : 'crash');
    if (decision.action === 'give-up')
      return this.fail('gave-up', `gave up after ${decision.reason}; last: ${reason}`);
    this.lifecycle.to('restarting');
    this.restartTimer = setTimeout(
      () => this.guarded('restart', () => this.restart(decision.delayMs)),
      decision.delayMs,
    );
  }

  private restart(delayMs: number): void {
    this.meter.restarts++;
    const replayed = this.input.refeed(() => this.slot.spawn());
    this.emit('restart', {
      pid: this.slot.proc?.pid ?? null,
      restarts: this.meter.restarts,
      delayMs,
      ...replayed,
    });
  }

  private fail(kind: PipelineFailureKind, reason: string): void {
    if (this.lifecycle.final) return;
    this.slot.cancel();
    this.log.error(`[${this.options.label}] pipeline failed (${kind}): ${reason}`);
    this.meter.lastExitReason = reason;
    clearTimeout(this.restartTimer);
    this.queue.clear();
    this.slot.proc?.kill('SIGKILL');
    this.slot.closeRelay();
    this.finish('failed');
    this.emit('failed', reason, kind);
  }

  private finish(state: 'ended' | 'failed'): void {
    const out = this.options.output;
    if (state === 'ended' && this.endPlaylist && out.kind === 'hls')
      endPlaylist(out.dir, this.log, this.options.label);
    this.lifecycle.to(state);
    clearInterval(this.statusTimer);
    clearInterval(this.drainTimer);
    this.drain = undefined;
    this.resolveStopped?.();
  }

  private mask(text: string): string {
    return maskStreamKey(text, this.options.output, this.options.label);
  }

  private emitStatus(force = true): void {
    const stats = this.stats();
    if (this.meter.shouldSend(stats, force)) this.emit('status', stats);
  }
}
