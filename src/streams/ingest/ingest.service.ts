import { Inject, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { WebSocket } from 'ws';
import { AuthService } from '../../auth/auth.service';
import { APP_CONFIG } from '../../config/app-config.module';
import { type AppConfig, maskSecret } from '../../config/app-config';
import type { LiveStream } from '../../generated/prisma/client';
import {
  StreamConnectedEvent,
  StreamDisconnectedEvent,
  StreamEndedEvent,
  StreamWentLiveEvent,
} from '../events/stream.events';
import { parseIngestMime } from '../pipeline/ffmpeg-args';
import { FfmpegPipeline, FfmpegPipelineFactory, type PipelineStats } from '../pipeline/ffmpeg-pipeline';
import { MetricsService } from '../../metrics/metrics.service';
import { StreamProvider, type PublishEnd } from '../providers/stream-provider';
import { StreamsService } from '../streams.service';
import { RestreamPort } from '../restream-port';
import { CloseCode } from '../../contract/close-codes';
import { MediaStorage } from '../../storage/media-storage';
import { IngestRefusal } from './ingest-refusal';
import { AdmissionPacer, PerKeyCap, SlidingWindowLimit } from './admission-limits';
import { IngestSession, type SessionHost } from './ingest-session';
import { BroadcastLifecycle } from './broadcast-lifecycle.service';
import { StreamStateBus, type StreamStateMessage } from './stream-state-bus';

/** FFmpeg may crash this often within the window before the publish is given up (4500). */
export const PIPELINE_RESTART = { maxFailures: 5, windowMs: 60_000 };

type StreamStateEvent =
  StreamConnectedEvent | StreamWentLiveEvent | StreamDisconnectedEvent | StreamEndedEvent;

/** Admits publishers, runs their pipelines, and keeps their sockets informed. */
@Injectable()
export class IngestService implements SessionHost {
  private readonly logger = new Logger('Ingest');
  private readonly sessions = new Set<IngestSession>();
  private readonly pipelinesRunning = new Set<FfmpegPipeline>();
  /** Streams admitted as the continuation of a broadcast in its reconnect window. */
  private readonly resuming = new Set<string>();
  private readonly preauth: PerKeyCap;
  private readonly preauthByKey = new Map<string, Set<() => void>>();
  private readonly userHellos: SlidingWindowLimit;
  private readonly pacer: AdmissionPacer;
  private pipelinesStarting = 0;
  private accepting = true;

  /** MAX_BROADCAST_MINUTES, for every session. */
  get maxBroadcastMs(): number | null {
    const m = this.config.maxBroadcastMinutes;
    return m === null ? null : Math.round(m * 60_000);
  }

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly streams: StreamsService,
    private readonly provider: StreamProvider,
    private readonly pipelines: FfmpegPipelineFactory,
    private readonly broadcasts: BroadcastLifecycle,
    private readonly metrics: MetricsService,
    private readonly bus: StreamStateBus,
    private readonly storage: MediaStorage,
    private readonly restream: RestreamPort,
  ) {
    const limits = config.ingest;
    this.preauth = new PerKeyCap(limits.preauthSocketsPerIp);
    this.userHellos = new SlidingWindowLimit(limits.publishesPerUserPerMinute, 60_000);
    this.pacer = new AdmissionPacer(limits.admissionConcurrency, limits.pipelineStartsPerSecond);
    bus.onMessage((m) => this.deliver(m));
    metrics.ingestSnapshot = () => {
      let queueBytes = 0;
      for (const p of this.pipelinesRunning) queueBytes += p.stats().queueBytes;
      return { activePipelines: this.pipelinesRunning.size, queueBytes };
    };
  }

  open(ws: WebSocket, streamKey: string, ip = 'unknown'): void {
    if (!this.accepting) {
      ws.close(CloseCode.GoingAway, 'the server is shutting down');
      return;
    }
    // Sockets that have not authenticated yet are capped per address; an admitted publisher no longer counts.
    if (!this.preauth.tryAcquire(ip)) {
      this.refused(CloseCode.TooManyRequests);
      ws.close(CloseCode.TooManyRequests, 'too many unauthenticated connections from your address');
      return;
    }
    let counted = true;
    const uncount = () => {
      if (counted) this.preauth.release(ip);
      counted = false;
    };
    const session = new IngestSession(ws, streamKey, `key ${maskSecret(streamKey)}`, this, this.logger);
    const pending = this.preauthByKey.get(streamKey) ?? new Set();
    pending.add(uncount);
    this.preauthByKey.set(streamKey, pending);
    this.sessions.add(session);
    ws.once('close', () => {
      uncount();
      pending.delete(uncount);
      if (pending.size === 0 && this.preauthByKey.get(streamKey) === pending)
        this.preauthByKey.delete(streamKey);
      setImmediate(() => this.sessions.delete(session));
    });
  }

  get maxMessagesPerSecond(): number {
    return this.config.ingest.maxMessagesPerSecond;
  }

  /** Paced: at most INGEST_ADMISSION_CONCURRENCY hellos are checked at once. */
  admit(streamKey: string, token: string, mimeType: string): Promise<LiveStream> {
    return this.pacer.admit(() => this.admitNow(streamKey, token, mimeType));
  }

  private async admitNow(streamKey: string, token: string, mimeType: string): Promise<LiveStream> {
    const user = await this.auth.authenticate(token);
    if (!user) throw new IngestRefusal(CloseCode.Unauthenticated, 'the session token is invalid or expired');
    if (!this.userHellos.hit(user.id)) {
      throw new IngestRefusal(
        CloseCode.TooManyRequests,
        `more than ${this.config.ingest.publishesPerUserPerMinute} connection attempts a minute: wait and retry`,
      );
    }
    const stream = await this.streams.findByKey(streamKey);
    if (!stream || stream.status === 'ENDED')
      throw new IngestRefusal(CloseCode.UnknownStreamKey, 'unknown stream key');
    if (stream.creatorId !== user.id)
      throw new IngestRefusal(CloseCode.NotYourStream, 'this stream key belongs to another creator');
    if (!parseIngestMime(mimeType)) {
      throw new IngestRefusal(
        CloseCode.UnsupportedMedia,
        `unsupported media "${mimeType.slice(0, 80)}": send video/webm with h264, vp8 or vp9 and opus`,
      );
    }
    const full = await this.storage.refusal();
    if (full) throw new IngestRefusal(CloseCode.StorageFull, full);
    if (this.pipelinesRunning.size + this.pipelinesStarting >= this.config.ingest.maxPipelines) {
      throw new IngestRefusal(
        CloseCode.AtCapacity,
        `the server is at capacity (${this.config.ingest.maxPipelines} live broadcasts): retry in a minute`,
      );
    }
    const grant = await this.broadcasts.claim(stream.id);
    if (!grant) {
      throw new IngestRefusal(
        CloseCode.AlreadyPublishing,
        'this stream is already being published from another connection',
      );
    }
    for (const uncount of this.preauthByKey.get(streamKey) ?? []) uncount(); // authenticated now
    if (grant.resumed) this.resuming.add(stream.id);
    else this.resuming.delete(stream.id);
    return stream;
  }

  async startPipeline(stream: LiveStream, mimeType: string, label: string): Promise<FfmpegPipeline> {
    this.pipelinesStarting++;
    try {
      await this.pacer.startTurn();
      return await this.startPipelineNow(stream, mimeType, label);
    } finally {
      this.pipelinesStarting--;
    }
  }

  private async startPipelineNow(
    stream: LiveStream,
    mimeType: string,
    label: string,
  ): Promise<FfmpegPipeline> {
    const resumed = this.resuming.delete(stream.id);
    await this.provider.publishStarted(stream, resumed);
    if (resumed) this.logger.log(`stream ${stream.id}: the publisher is back inside the reconnect window`);
    const pipeline = this.pipelines.create({
      mimeType,
      output: await this.restream.withTargets(this.provider.ingestTarget(stream), stream.creatorId),
      ffmpegPath: this.config.ffmpegPath,
      label,
      restart: { ...PIPELINE_RESTART, maxStalls: this.config.ingest.maxStallRestarts },
      onWriteLatency: (ms) => this.metrics.writeLatency.observe(ms / 1000),
    });
    this.instrument(pipeline);
    const output = this.provider.ingestTarget(stream);
    if (output.kind === 'hls') {
      // A full disk fails the pipeline with a clear reason (FFmpeg itself says nothing).
      const unwatch = this.storage.watch(output.dir, (reason) => pipeline.abort('storage-full', reason));
      pipeline.on('status', (s: PipelineStats) => {
        if (s.state === 'ended' || s.state === 'failed') unwatch();
      });
    }
    return pipeline;
  }

  /** Pipeline counters for /metrics: deltas of each status, exits by reason, restarts. */
  private instrument(pipeline: FfmpegPipeline): void {
    this.pipelinesRunning.add(pipeline);
    let last = { bytesIn: 0, bytesOut: 0, droppedClusters: 0 };
    const account = (s: PipelineStats) => {
      this.metrics.bytesIn.inc(s.bytesIn - last.bytesIn);
      this.metrics.bytesOut.inc(s.bytesOut - last.bytesOut);
      this.metrics.droppedClusters.inc(s.droppedClusters - last.droppedClusters);
      last = { bytesIn: s.bytesIn, bytesOut: s.bytesOut, droppedClusters: s.droppedClusters };
      if (s.state === 'ended' || s.state === 'failed') this.pipelinesRunning.delete(pipeline);
    };
    pipeline.on('status', account);
    pipeline.on('restart', () => this.metrics.ffmpegRestarts.inc());
    pipeline.on('exit', (e) => {
      const reason = e.expected
        ? 'expected'
        : e.signal
          ? `signal_${e.signal}`
          : `code_${e.code ?? 'unknown'}`;
      this.metrics.ffmpegExits.inc({ reason });
      account(pipeline.stats());
    });
  }

  refused(code: number): void {
    this.metrics.publishes.inc({ outcome: `refused_${code}` });
  }

  async finish(stream: LiveStream, how: PublishEnd): Promise<void> {
    this.metrics.publishes.inc({ outcome: how });
    await this.broadcasts.publisherGone(stream, how);
  }

  /** Provider state changes (webhooks or the local provider) reach the publisher's socket. */
  @OnEvent(StreamConnectedEvent.event)
  @OnEvent(StreamWentLiveEvent.event)
  @OnEvent(StreamDisconnectedEvent.event)
  @OnEvent(StreamEndedEvent.event)
  async notify(e: StreamStateEvent): Promise<void> {
    const row = e.stream.state ?? (await this.streams.findById(e.stream.liveStreamId));
    if (!row) return;
    const state = { liveStreamId: e.stream.liveStreamId, status: row.status, isLive: row.isLive };
    this.deliver(state);
    // The publisher may be connected to another instance.
    await this.bus
      .publish(state)
      .catch((err: Error) => this.logger.warn(`state broadcast failed: ${err.message}`));
  }

  private deliver(m: Omit<StreamStateMessage, 'from'>): void {
    for (const s of this.sessions) {
      if (s.liveStreamId === m.liveStreamId)
        s.send({ type: 'status', stream: { status: m.status, isLive: m.isLive } });
    }
  }

  /** Shutdown: refuse new sockets, close the open ones with 1001 and let FFmpeg flush. */
  async closeAll(): Promise<void> {
    this.accepting = false;
    await Promise.all(
      [...this.sessions].map((s) => s.close(CloseCode.GoingAway, 'the server is restarting')),
    );
  }
}
