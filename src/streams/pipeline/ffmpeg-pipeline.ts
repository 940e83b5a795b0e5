import { Inject, Injectable, Logger, type OnModuleInit, Optional } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { APP_CONFIG } from '../../config/app-config.module';
import type { AppConfig } from '../../config/app-config';
import { ByteQueue, INIT_CLUSTER, type QueueItem } from './byte-queue';
import { LatencyRecorder, type LatencySummary } from './diagnostics';
import {
  type IngestCodecs,
  buildFfmpegArgs,
  codecsFromTracks,
  describeCodecs,
  maskStreamKey,
  parseIngestMime,
  sameCodecs,
} from './ffmpeg-args';
import { batchLauncherFor } from './ffmpeg-launcher';
import { hlsAppendOffset } from './hls-append';
import { type FfmpegProgress, FfmpegProcess, type ProcessExit, describeExit } from './ffmpeg-process';
import { ReplayBuffer } from './replay-buffer';
import { RestreamTracker } from './restream-tracker';
import { RestartPolicy } from './restart-policy';
import { RtmpRelay } from './rtmp-relay';
import { type InitSegment, type WebmFragment, WebmSplitter } from './webm-splitter';
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
 * the last keyframe Cluster; gives up with `failed` after too many failures.
 */
export class FfmpegPipeline extends EventEmitter<FfmpegPipelineEvents> {
  private readonly log = new Logger(FfmpegPipeline.name);
  private readonly splitter = new WebmSplitter();
  private readonly queue: ByteQueue;
  private readonly replay: ReplayBuffer;
  private readonly policy: RestartPolicy;
  private readonly latency = new LatencyRecorder();
  /** Local mode's restream targets (tee slaves), when there are any. */
  private readonly restream: RestreamTracker | null;
  private codecs: IngestCodecs;
  private proc: FfmpegProcess | undefined;
  private lastProc: FfmpegProcess | undefined;
  private state: PipelineState = 'starting';
  private initItem: QueueItem | undefined;
  private arrivedAt = 0;
  private bytesIn = 0;
  private restarts = 0;
  private outputBytesBefore = 0;
  private outputBytesNow = 0;
  private outputTimeMs = 0;
  private lastExitReason: string | null = null;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly statusTimer: NodeJS.Timeout;
  private lastStatusKey = '';
  private stopping: Promise<void> | undefined;
  private stallKill = false;
  /** The relay of the current FFmpeg (RTMP output with `relay`). */
  private relay: RtmpRelay | undefined;
  /** An FFmpeg start waiting for its relay to listen; bumping `spawnGen` cancels it. */
  private pendingSpawn: Promise<void> | undefined;
  private spawnGen = 0;

  constructor(private readonly options: FfmpegPipelineOptions) {
    super();
    const codecs = parseIngestMime(options.mimeType);
    if (!codecs) throw new UnsupportedMediaError(options.mimeType);
    this.codecs = codecs;
    const queueBytes = options.queueBytes ?? 8 * MiB;
    this.queue = new ByteQueue({
      maxBytes: queueBytes,
      onWritten: (item) => this.onWritten(item),
      onCongestion: () => this.emitStatus(),
    });
    this.replay = new ReplayBuffer(options.replayBytes ?? 4 * MiB);
    this.policy = new RestartPolicy({ ...options.restart, clock: options.clock });
    const slaves = options.output.kind === 'hls' ? (options.output.restream ?? []) : [];
    this.restream = slaves.length ? new RestreamTracker(slaves) : null;
    this.splitter.on('init', (init) => this.onInit(init));
    this.splitter.on('fragment', (fragment) => this.onFragment(fragment));
    this.splitter.on('error', (err) => this.fail('invalid-media', `invalid WebM: ${err.message}`));
    this.statusTimer = setInterval(
      () => this.guarded('status tick', () => this.tick()),
      options.statusIntervalMs ?? 1000,
    );
    this.statusTimer.unref();
    this.spawnProcess();
  }

  /** A media chunk from the socket. Ignored once the pipeline is stopping, ended or failed. */
  push(chunk: Buffer): void {
    if (this.state === 'stopping' || this.state === 'ended' || this.state === 'failed') return;
    this.bytesIn += chunk.length;
    this.arrivedAt = performance.now();
    this.splitter.push(chunk);
  }

  /** Highest WebM media time (ms) parsed in the current WebM stream of the input. */
  get mediaMs(): number {
    return Math.round(this.splitter.mediaMs);
  }

  /** How many WebM streams (EBML headers) the input has carried. */
  get segments(): number {
    return this.splitter.segments;
  }

  stats(): PipelineStats {
    return {
      state: this.state,
      bytesIn: this.bytesIn,
      bytesOut: this.queue.bytesWritten,
      queueBytes: this.queue.bytes,
      droppedClusters: this.queue.droppedClusters,
      droppedBytes: this.queue.droppedBytes,
      restarts: this.restarts,
      congested: this.queue.congested,
      lastExitReason: this.lastExitReason,
      outputBytes: this.outputBytesBefore + this.outputBytesNow,
      outputTimeMs: this.outputTimeMs,
      pid: this.proc?.pid ?? null,
      ...(this.restream && { restream: this.restream.snapshot() }),
    };
  }

  /** FFmpeg's last stderr lines (stream key masked). */
  recentStderr(): string[] {
    return (
      (this.proc ?? this.lastProc)
        ?.recentStderr()
        .map((l) => maskStreamKey(l, this.options.output, this.options.label)) ?? []
    );
  }

  /** Server-added latency per write: arrival of the completing chunk in push() → write into stdin (ms). */
  latencySamples(): number[] {
    return this.latency.values();
  }

  latencySummary(): LatencySummary {
    return this.latency.summary();
  }

  /** Ends FFmpeg's input, lets it flush for up to `graceMs`, then SIGKILLs it; resolves when it is gone. */
  stop(graceMs = 5000): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.state === 'ended' || this.state === 'failed') return Promise.resolve();
    this.setState('stopping');
    clearTimeout(this.restartTimer);
    this.splitter.end();
    if (!this.proc && !this.pendingSpawn) {
      this.finish('ended');
      return (this.stopping = Promise.resolve());
    }
    this.stopping = (this.pendingSpawn ?? Promise.resolve()).then(() => this.drainAndExit(graceMs));
    return this.stopping;
  }

  private drainAndExit(graceMs: number): Promise<void> {
    const proc = this.proc;
    if (!proc) {
      this.finish('ended');
      return Promise.resolve();
    }
    this.queue.endWhenDrained();
    const killTimer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    return proc.waitForExit().then(() => clearTimeout(killTimer));
  }

  /** Fails the pipeline from outside, e.g. its output cannot be written (a full disk): `failed` follows. */
  abort(kind: PipelineFailureKind, reason: string): void {
    this.fail(kind, reason);
  }

  /** Kills FFmpeg at once (the socket went away); `exit` follows. */
  kill(): void {
    if (this.state === 'ended' || this.state === 'failed') return;
    this.setState('stopping');
    clearTimeout(this.restartTimer);
    this.queue.clear();
    this.spawnGen++;
    const proc = this.proc;
    if (!proc) return this.finish('ended');
    this.stopping = proc.waitForExit().then(() => undefined);
    proc.kill('SIGKILL');
  }

  private tick(): void {
    const stallTimeoutMs = this.options.stallTimeoutMs ?? 20_000;
    // The relay's upstream counts too: kernel buffers between FFmpeg and the relay hide its stall.
    const stalledMs = Math.max(this.queue.stalledForMs(), this.relay?.stalledForMs() ?? 0);
    if (this.proc && stallTimeoutMs > 0 && stalledMs > stallTimeoutMs && this.state !== 'stopping') {
      // FFmpeg has not read its input for too long: its output is stuck (a dead or frozen
      // connection). Kill it; the restart policy reconnects.
      this.log.warn(
        `[${this.options.label}] ffmpeg ${this.proc.pid ?? '?'} stalled for ${Math.round(stalledMs)} ms`,
      );
      this.stallKill = true;
      this.proc.kill('SIGKILL');
    }
    this.emitStatus(false);
  }

  private spawnProcess(): void {
    const output = this.options.output;
    const gen = ++this.spawnGen;
    this.closeRelay();
    if (output.kind !== 'rtmp' || !this.options.relay) return this.startProcess();
    // The stream key stays out of FFmpeg's argv: it publishes to a loopback relay (rtmp-relay.ts).
    this.proc = undefined;
    const spawned = RtmpRelay.open(output).then(
      (relay) =>
        this.guarded('relay', () => {
          if (this.pendingSpawn === spawned) this.pendingSpawn = undefined;
          if (gen !== this.spawnGen || this.state === 'ended' || this.state === 'failed')
            return relay.close();
          this.startProcess(relay);
        }),
      (err: Error) => this.guarded('relay', () => this.fail('spawn-failed', `relay: ${err.message}`)),
    );
    this.pendingSpawn = spawned;
  }

  private startProcess(relay?: RtmpRelay): void {
    const offset = this.options.output.kind === 'hls' ? hlsAppendOffset(this.options.output.dir) : null;
    const output = relay
      ? { kind: 'rtmp' as const, url: relay.localUrl, tcUrl: relay.tcUrl }
      : this.options.output;
    const args = buildFfmpegArgs(this.codecs, output, {
      appendHls: offset !== null,
      tsOffsetSec: offset ?? undefined,
    });
    const { ffmpegPath, spawn, launcher } = this.options;
    const proc = new FfmpegProcess(ffmpegPath, args, spawn, launcher);
    if (relay) {
      this.relay = relay;
      relay.expectPeer(proc.pid);
      relay.on('warn', (m) => this.log.warn(`[${this.options.label}] relay: ${m}`));
    }
    this.proc = this.lastProc = proc;
    this.outputBytesBefore += this.outputBytesNow;
    this.outputBytesNow = 0;
    proc.on('progress', (p) => this.guarded('progress', () => this.onProgress(proc, p)));
    if (this.restream) {
      const tracker = this.restream;
      tracker.restarted();
      proc.on('stderr', (text) => {
        if (proc === this.proc && tracker.stderr(text)) this.emitStatus();
      });
    }
    proc.on('exit', (exit) => this.guarded('exit', () => this.onExit(proc, exit)));
    this.queue.attach(proc.stdin);
    this.log.log(
      `[${this.options.label}] ffmpeg ${proc.pid ?? '?'} started (${describeCodecs(this.codecs)})`,
    );
  }

  private onProgress(proc: FfmpegProcess, p: FfmpegProgress): void {
    if (proc !== this.proc) return;
    this.outputBytesNow = p.totalSize;
    this.outputTimeMs = p.outTimeMs;
    this.replay.trim(p.outTimeMs);
    if (this.restream?.outputStarted()) this.emitStatus();
    if (this.state === 'starting' || this.state === 'restarting') this.setState('running');
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

  private onInit(init: InitSegment): void {
    const fromTracks = codecsFromTracks(init.tracks);
    if (!fromTracks) {
      const ids = init.tracks.map((t) => t.codecId).join(', ');
      return this.fail('unsupported-media', `unsupported tracks: ${ids}`);
    }
    if (this.initItem) return this.onNewStream(init, fromTracks);
    if (!sameCodecs(fromTracks, this.codecs)) {
      // The bytes win over the announced mime type: restart FFmpeg with the right arguments.
      this.log.warn(
        `[${this.options.label}] mime type ${this.options.mimeType} but Tracks say ${JSON.stringify(fromTracks)}`,
      );
      this.codecs = fromTracks;
      const old = this.proc;
      this.queue.detach();
      old?.kill('SIGKILL');
      this.spawnProcess();
    }
    this.initItem = {
      data: init.data,
      cluster: INIT_CLUSTER,
      clusterStart: false,
      keyframe: false,
      arrivedAt: this.arrivedAt,
    };
    this.queue.push(this.initItem);
  }

  /**
   * The client restarted its recorder on the same socket (a new quality, maybe a new resolution or
   * codec): the current FFmpeg gets everything of the previous stream, then the end of its input,
   * and finishes its output; a new FFmpeg continues the same output (HLS: appended after a
   * discontinuity; RTMP: a new publish inside the provider's reconnect window) from the new header.
   */
  private onNewStream(init: InitSegment, codecs: IngestCodecs): void {
    this.log.log(
      `[${this.options.label}] new WebM stream #${init.segment} on the socket (${describeCodecs(codecs)})`,
    );
    this.codecs = codecs;
    this.replay.clear(); // its data needs the previous header
    this.initItem = {
      data: init.data,
      cluster: INIT_CLUSTER,
      clusterStart: false,
      keyframe: false,
      arrivedAt: this.arrivedAt,
      newStream: true,
    };
    this.queue.push(this.initItem);
  }

  private onFragment(f: WebmFragment): void {
    const item: QueueItem = {
      data: f.data,
      cluster: f.cluster,
      clusterStart: f.clusterStart,
      keyframe: f.keyframe,
      arrivedAt: this.arrivedAt,
    };
    this.replay.add(item, f.timestampMs);
    this.queue.push(item);
  }

  private onWritten(item: QueueItem): void {
    if (item.written) return;
    item.written = true;
    const ms = performance.now() - item.arrivedAt;
    this.latency.record(ms);
    this.options.onWriteLatency?.(ms);
  }

  private onExit(proc: FfmpegProcess, exit: ProcessExit): void {
    const stalled = this.stallKill && proc === this.proc;
    const relayError = proc === this.proc ? this.relay?.lastError : null;
    const reason =
      (stalled
        ? `stalled: no input read for ${this.options.stallTimeoutMs ?? 20_000} ms, killed`
        : describeExit(exit, (t) => maskStreamKey(t, this.options.output, this.options.label))) +
      (relayError ? ` (relay: ${relayError})` : '');
    if (proc === this.proc) this.stallKill = false;
    const current = proc === this.proc;
    const switching = current && this.queue.waitingForNewSink;
    const expected =
      !current || switching || this.state === 'stopping' || this.state === 'failed' || this.state === 'ended';
    if (current) {
      this.proc = undefined;
      this.queue.detach();
      this.lastExitReason = reason;
      this.restream?.stopped();
      this.closeRelay();
    }
    this.emit('exit', { pid: exit.pid, code: exit.code, signal: exit.signal, reason, expected });
    if (!current) return;
    if (this.state === 'stopping') return this.finish('ended');
    if (this.state === 'failed' || this.state === 'ended') return;
    if (switching) return this.spawnProcess(); // it finished the previous WebM stream
    this.log.warn(`[${this.options.label}] ffmpeg ${exit.pid ?? '?'} ${reason}`);
    if (exit.spawnError) return this.fail('spawn-failed', reason);
    // Output that cannot be written is not worth a restart (issue 16 item 6).
    if (exit.stderr.some((l) => /No space left on device|Disk quota exceeded/i.test(l)))
      return this.fail('storage-full', `the server's media disk is full (${reason})`);
    const decision = this.policy.recordFailure(stalled ? 'stall' : 'crash');
    if (decision.action === 'give-up')
      return this.fail('gave-up', `gave up after ${decision.reason}; last: ${reason}`);
    this.setState('restarting');
    this.restartTimer = setTimeout(
      () => this.guarded('restart', () => this.restart(decision.delayMs)),
      decision.delayMs,
    );
  }

  private restart(delayMs: number): void {
    this.restarts++;
    const replayed = this.replay.snapshot();
    this.queue.clear(replayed[0]?.cluster ?? Number.POSITIVE_INFINITY);
    this.spawnProcess();
    if (this.initItem) {
      this.queue.pushUnconditionally(this.initItem);
      for (const item of replayed) this.queue.pushUnconditionally(item);
    }
    this.emit('restart', {
      pid: this.proc?.pid ?? null,
      restarts: this.restarts,
      delayMs,
      replayFromMs: this.initItem ? this.replay.startMs : null,
      replayBytes: this.initItem ? this.replay.bytes : 0,
    });
  }

  private closeRelay(): void {
    this.relay?.close();
    this.relay = undefined;
  }

  private fail(kind: PipelineFailureKind, reason: string): void {
    if (this.state === 'ended' || this.state === 'failed') return;
    this.spawnGen++;
    this.log.error(`[${this.options.label}] pipeline failed (${kind}): ${reason}`);
    this.lastExitReason = reason;
    clearTimeout(this.restartTimer);
    this.queue.clear();
    this.proc?.kill('SIGKILL');
    this.closeRelay();
    this.finish('failed');
    this.emit('failed', reason, kind);
  }

  private finish(state: 'ended' | 'failed'): void {
    this.setState(state);
    clearInterval(this.statusTimer);
  }

  private setState(state: PipelineState): void {
    if (this.state === state) return;
    this.state = state;
    this.emitStatus();
  }

  private emitStatus(force = true): void {
    const stats = this.stats();
    const key = JSON.stringify(stats);
    if (!force && key === this.lastStatusKey) return;
    this.lastStatusKey = key;
    this.emit('status', stats);
  }
}

/**
 * Creates one FfmpegPipeline per live connection; inject it where pipelines are needed. In the app
 * it starts FFmpeg under SCHED_BATCH where that works (see ffmpeg-launcher.ts), found out at boot.
 */
@Injectable()
export class FfmpegPipelineFactory implements OnModuleInit {
  private readonly log = new Logger(FfmpegPipelineFactory.name);
  private launcher: readonly string[] = [];

  constructor(@Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig) {}

  async onModuleInit(): Promise<void> {
    if (!this.config) return;
    this.launcher = await batchLauncherFor(this.config.ffmpegPath);
    this.log.log(
      this.launcher.length
        ? `FFmpeg runs under SCHED_BATCH (${this.launcher.join(' ')})`
        : 'chrt --batch is not available: FFmpeg runs with the default scheduling policy',
    );
  }

  create(options: FfmpegPipelineOptions): FfmpegPipeline {
    const launcher = options.ffmpegPath === this.config?.ffmpegPath ? this.launcher : [];
    // The app (a config) always relays RTMP; bare factories (pipeline e2e tests) may opt in.
    return new FfmpegPipeline({ launcher, relay: !!this.config, ...options });
  }
}
