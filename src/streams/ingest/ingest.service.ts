import { Inject, Injectable, Logger } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { APP_CONFIG } from '../../config/app-config.module';
import { type AppConfig, maskSecret } from '../../config/app-config';
import { CloseCode } from '../../contract/close-codes';
import type { LiveStream } from '../../generated/prisma/client';
import { MetricsService } from '../../metrics/metrics.service';
import type { FfmpegPipeline } from '../pipeline/ffmpeg-pipeline';
import type { PublishEnd } from '../providers/stream-provider';
import { BroadcastLifecycle } from './broadcast-lifecycle.service';
import { IngestAdmission } from './ingest-admission.service';
import { IngestPipelines } from './ingest-pipelines.service';
import { IngestSession, type SessionHost } from './ingest-session';
import { IngestSessions } from './ingest-sessions';
import { SessionStateFanout } from './session-state-fanout.service';

/**
 * The ingest socket's entry: opens a session per publisher connection and is the host its sessions
 * call back (admission in IngestAdmission, pipelines in IngestPipelines, the end of a publish in
 * BroadcastLifecycle); on shutdown, closes them all. Stream and restream states reach the sessions
 * through SessionStateFanout.
 */
@Injectable()
export class IngestService implements SessionHost {
  private readonly logger = new Logger('Ingest');
  private accepting = true;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly admission: IngestAdmission,
    private readonly pipelines: IngestPipelines,
    private readonly broadcasts: BroadcastLifecycle,
    private readonly metrics: MetricsService,
    private readonly sessions: IngestSessions,
    private readonly fanout: SessionStateFanout,
  ) {}

  /** MAX_BROADCAST_MINUTES, for every session. */
  get maxBroadcastMs(): number | null {
    const m = this.config.maxBroadcastMinutes;
    return m === null ? null : Math.round(m * 60_000);
  }

  get maxMessagesPerSecond(): number {
    return this.config.ingest.maxMessagesPerSecond;
  }

  open(ws: WebSocket, streamKey: string, ip = 'unknown'): void {
    if (!this.accepting) {
      ws.close(CloseCode.GoingAway, 'the server is shutting down');
      return;
    }
    // Sockets that have not authenticated yet are capped per address; an admitted publisher no longer counts.
    const leave = this.admission.enter(ip, streamKey);
    if (!leave) {
      this.refused(CloseCode.TooManyRequests);
      ws.close(CloseCode.TooManyRequests, 'too many unauthenticated connections from your address');
      return;
    }
    const session = new IngestSession(ws, streamKey, `key ${maskSecret(streamKey)}`, this, this.logger, ip);
    this.sessions.add(session);
    ws.once('close', () => {
      leave();
      // Known until its publish has ended: a shutdown (closeAll) waits for a flush still under way.
      const forget = (): void => void setImmediate(() => this.sessions.delete(session));
      session.whenEnded().then(forget, forget);
    });
  }

  admit(streamKey: string, token: string, mimeType: string, from = 'unknown'): Promise<LiveStream> {
    return this.admission.admit(streamKey, token, mimeType, from);
  }

  /** Paced (INGEST_PIPELINE_STARTS_PER_SECOND); its slot was reserved by admission until it runs. */
  async startPipeline(stream: LiveStream, mimeType: string, label: string): Promise<FfmpegPipeline> {
    try {
      await this.admission.startTurn();
      const resumed = this.admission.takeResumed(stream.id);
      const pipeline = await this.pipelines.start(stream, mimeType, label, resumed);
      this.fanout.replayRestream(stream);
      return pipeline;
    } finally {
      this.pipelines.reserve(stream.id, -1); // running now (counted as such), or failed
    }
  }

  refused(code: number): void {
    this.metrics.publishes.inc({ outcome: `refused_${code}` });
  }

  async finish(stream: LiveStream, how: PublishEnd): Promise<void> {
    // The socket went away between admission and its pipeline start (a no-op once it started).
    if (how === 'dropped') this.pipelines.reserve(stream.id, -1);
    this.metrics.publishes.inc({ outcome: how });
    await this.broadcasts.publisherGone(stream, how);
  }

  /** Shutdown: refuse new sockets, close the open ones with 1001 and let FFmpeg flush. */
  async closeAll(): Promise<void> {
    this.accepting = false;
    await Promise.all(
      this.sessions.all().map((s) => s.close(CloseCode.GoingAway, 'the server is restarting')),
    );
  }
}
