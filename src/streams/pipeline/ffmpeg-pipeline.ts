import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { StateMachine } from '../../common/state-machine';
import { ByteQueue } from './byte-queue';
import type { LatencySummary } from './diagnostics';
import { maskStreamKey, parseIngestMime } from './ffmpeg-args';
import type { FfmpegProgress, FfmpegProcess } from './ffmpeg-process';
import { FfmpegSlot } from './ffmpeg-slot';
import { endPlaylist } from './pipeline-exit';
import { PipelineDrain } from './pipeline-drain';
import { PipelineInput } from './pipeline-input';
import { pipelineLifecycle } from './pipeline-lifecycle';
import { PipelineMeter } from './pipeline-meter';
import { PipelineRestarts } from './pipeline-restarts';
import { ReplayBuffer } from './replay-buffer';
import { RestreamTracker } from './restream-tracker';
import {
  DEFAULT_STALL_TIMEOUT_MS,
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
 * what follows its exit in PipelineRestarts, stop()'s flush in PipelineDrain, the counters in
 * PipelineMeter.
 */
export class FfmpegPipeline extends EventEmitter<FfmpegPipelineEvents> {
  private readonly log = new Logger(FfmpegPipeline.name);
  private readonly queue: ByteQueue;
  private readonly restarts: PipelineRestarts;
  private readonly meter: PipelineMeter;
  private readonly slot: FfmpegSlot;
  private readonly lifecycle: StateMachine<PipelineState>;
  private readonly input: PipelineInput;
  /** Local mode's restream targets (tee slaves), when there are any. */
  private readonly restream: RestreamTracker | null;
  private readonly statusTimer: NodeJS.Timeout;
  private stopping: Promise<void> | undefined;
  private resolveStopped: (() => void) | undefined;
  /** stop()'s flush: what is left of the input still goes out until it is done, idle or late. */
  private drain: PipelineDrain | undefined;
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
    const { slot, queue, input, meter, lifecycle, restream, log } = this;
    this.restarts = new PipelineRestarts(
      { options, slot, queue, input, meter, lifecycle, restream, log },
      {
        outputOpened: () => this.outputOpened,
        draining: () => !!this.drain && !this.drain.expired,
        fail: (kind, reason) => this.fail(kind, reason),
        ended: () => this.finish('ended'),
        guarded: (what, fn) => this.guarded(what, fn),
        mask: (text) => this.mask(text),
        exited: (e) => this.emit('exit', e),
        restarted: (e) => this.emit('restart', e),
      },
    );
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
    const { lifecycle, input, queue, slot, restream } = this;
    return this.meter.stats(lifecycle.state, input.bytesIn, queue, slot.proc?.pid ?? null, restream);
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
   * the drain is due: no progress for `idleMs`, or `maxMs` passed (PipelineDrain).
   */
  stop(idleMs = 5000, maxMs = 30_000): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.lifecycle.final) return Promise.resolve();
    const backingOff = this.lifecycle.is('restarting') && !this.slot.proc && !this.slot.pending;
    this.lifecycle.to('stopping');
    this.endPlaylist = true;
    this.restarts.cancel();
    this.input.end();
    this.stopping = new Promise((resolve) => (this.resolveStopped = resolve));
    if (backingOff) this.restarts.restart(0);
    if (!this.slot.proc && !this.slot.pending) {
      this.finish('ended');
      return this.stopping;
    }
    this.drain = new PipelineDrain(idleMs, maxMs, () => this.guarded('drain', () => this.watchDrain()));
    if (this.slot.proc) this.queue.endWhenDrained();
    return this.stopping;
  }

  /** Shutdown: a flush stop() is running gets at most `maxMs` more (main.ts has a deadline). */
  hurry(maxMs: number): void {
    this.drain?.hurry(maxMs);
  }

  /** Kills the current FFmpeg once the drain is due (see PipelineDrain), or ends if none is left. */
  private watchDrain(): void {
    const proc = this.slot.proc;
    if (!this.drain?.due(proc, this.queue.bytes + (proc?.stdin.writableLength ?? 0))) return;
    if (proc) return proc.kill('SIGKILL');
    this.slot.cancel();
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
    this.drain?.end();
    this.drain = undefined; // nothing more goes out
    this.restarts.cancel();
    this.queue.clear();
    this.slot.cancel();
    const proc = this.slot.proc;
    if (!proc) return this.finish('ended');
    this.stopping ??= proc.waitForExit().then(() => undefined);
    proc.kill('SIGKILL');
  }

  private tick(): void {
    const stallTimeoutMs = this.options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
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
    proc.on('exit', (exit) => this.guarded('exit', () => this.restarts.onExit(proc, exit)));
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
    this.drain?.progressed();
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

  private fail(kind: PipelineFailureKind, reason: string): void {
    if (this.lifecycle.final) return;
    this.slot.cancel();
    this.log.error(`[${this.options.label}] pipeline failed (${kind}): ${reason}`);
    this.meter.lastExitReason = reason;
    this.restarts.cancel();
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
    this.drain?.end();
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
