import type { Logger } from '@nestjs/common';
import type { RawData, WebSocket } from 'ws';
import type { LiveStream } from '../../generated/prisma/client';
import type { FfmpegPipeline, PipelineFailureKind, PipelineStats } from '../pipeline/ffmpeg-pipeline';
import type { PublishEnd } from '../providers/stream-provider';
import { CloseCode, STOPPED_BY_CREATOR } from '../../contract/close-codes';
import { IngestRefusal } from './ingest-refusal';
import { MessageBudget } from './admission-limits';
import { closeCodeForFailure, publishEndFor, sessionLifecycle } from './session-lifecycle';
import { parseHello, type ServerMessage } from '../../contract/ingest-protocol';

export const HELLO_TIMEOUT_MS = 5_000;
export const IDLE_TIMEOUT_MS = 20_000;
export const PING_EVERY_MS = 10_000;
/** Acknowledgements go out this often while media arrives (the protocol asks for ≥ 4 a second). */
export const ACK_EVERY_MS = 200;
/** "While media arrives": acknowledgements stop this long after the last binary frame. */
const ACK_QUIET_AFTER_MS = 1_000;
/**
 * FFmpeg flushing after the end of a publish is killed once it made no progress for this long (less
 * after a lost socket: the publisher's reconnect waits for it)…
 */
const DRAIN_IDLE_MS = { stopped: 5_000, dropped: 2_000, failed: 2_000 } as const;
/** …or after this long in all (a starved transcode of a long backlog still gets its recording out). */
const DRAIN_MAX_MS = 30_000;
/** On a restart the whole shutdown must fit main.ts's deadline. */
const SHUTDOWN_DRAIN_MAX_MS = 6_000;

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

/** What a session needs from the app: authorising the hello, and starting/ending a publish. */
export interface SessionHost {
  /** Checks the hello and claims the key; throws IngestRefusal. */
  admit(streamKey: string, token: string, mimeType: string, from: string): Promise<LiveStream>;
  startPipeline(stream: LiveStream, mimeType: string, label: string): Promise<FfmpegPipeline>;
  /** The pipeline has stopped: release the key and tell the provider. Never throws. */
  finish(stream: LiveStream, how: PublishEnd): Promise<void>;
  refused(code: number): void;
  /** A broadcast is ended after this long (MAX_BROADCAST_MINUTES); null: no limit. */
  readonly maxBroadcastMs?: number | null;
  /** Messages per second one socket may send (MessageBudget). */
  readonly maxMessagesPerSecond: number;
}

/**
 * One publisher connection: hello → admitting → live (media) → closing → closed, per
 * SESSION_TRANSITIONS (session-lifecycle.ts). Every way out (client close, refusal, pipeline failure,
 * idle, missed pongs, shutdown) goes through `end`, which stops FFmpeg.
 */
export class IngestSession {
  private readonly lifecycle = sessionLifecycle();
  private stream: LiveStream | null = null;
  private pipeline: FfmpegPipeline | null = null;
  private helloTimer: NodeJS.Timeout;
  private idleTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private ackTimer: NodeJS.Timeout | undefined;
  private durationTimer: NodeJS.Timeout | undefined;
  private bytesReceived = 0;
  private lastMediaAt = 0;
  /** When the ack timer last fired: its drift is the server's event-loop lag. */
  private lastAckTick = 0;
  private alive = true;
  private ended: Promise<void> | null = null;
  private drainMaxMs = DRAIN_MAX_MS;

  constructor(
    private readonly ws: WebSocket,
    private readonly streamKey: string,
    readonly label: string,
    private readonly host: SessionHost,
    private readonly logger: Logger,
    /** The peer's address (failed sign-ins count against it). */
    private readonly from = 'unknown',
  ) {
    this.helloTimer = setTimeout(
      () => this.close(CloseCode.Unauthenticated, `no hello within ${HELLO_TIMEOUT_MS / 1000} s`),
      HELLO_TIMEOUT_MS,
    );
    const budget = new MessageBudget(host.maxMessagesPerSecond);
    ws.on('message', (data, isBinary) => {
      if (!budget.take()) {
        // Unbounded tiny frames would cost a splitter pass and a write each: refuse the flood.
        this.host.refused(CloseCode.TooManyRequests);
        void this.close(
          CloseCode.TooManyRequests,
          `more than ${host.maxMessagesPerSecond} messages per second`,
        );
        return;
      }
      try {
        this.onMessage(data, isBinary);
      } catch (e) {
        // A bug reached by this client's input ends this connection only.
        this.logger.error(`[${label}] message handling failed: ${(e as Error).stack ?? String(e)}`);
        void this.close(CloseCode.InternalError, 'internal error');
      }
    });
    // Only Stop Streaming ends the broadcast at once; any other loss leaves it open for a reconnect.
    ws.on('close', (code, reason) => {
      const stopped = code === CloseCode.Normal && reason.toString('utf8') === STOPPED_BY_CREATOR;
      void this.end(stopped ? 'stopped' : 'dropped');
    });
    ws.on('error', (err) => this.logger.warn(`[${label}] socket error: ${err.message}`));
    ws.on('pong', () => (this.alive = true));
  }

  get liveStreamId(): string | null {
    return this.stream?.id ?? null;
  }

  send(msg: ServerMessage): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(msg));
  }

  /** Closes the socket (if open) and stops the pipeline; resolves once FFmpeg is gone. */
  close(code: number, reason: string): Promise<void> {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
      this.ws.close(code, reason.slice(0, 120));
    }
    // A restart has a deadline (main.ts): FFmpeg gets less time to flush than after Stop Streaming.
    if (code === CloseCode.GoingAway) {
      this.drainMaxMs = SHUTDOWN_DRAIN_MAX_MS;
      this.pipeline?.hurry(SHUTDOWN_DRAIN_MAX_MS); // a publish already ending (Stop, then a restart)
    }
    return this.end(publishEndFor(code));
  }

  /** Resolves once the publish has ended (its FFmpeg gone, its end recorded); at once if it never began. */
  whenEnded(): Promise<void> {
    return this.ended ?? Promise.resolve();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.bytesReceived += Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
      this.lastMediaAt = performance.now();
    }
    if (this.lifecycle.is('live') && isBinary && this.pipeline) {
      this.pipeline.push(
        Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data),
      );
      this.idleTimer?.refresh();
      return;
    }
    if (this.lifecycle.is('hello')) {
      const hello = isBinary ? null : parseHello(rawText(data));
      if (!hello) {
        this.host.refused(CloseCode.Unauthenticated);
        void this.close(CloseCode.Unauthenticated, 'send {"type":"hello","token":…,"mimeType":…} first');
        return;
      }
      clearTimeout(this.helloTimer);
      this.lifecycle.to('admitting');
      void this.admit(hello.token, hello.mimeType);
      return;
    }
    if (this.lifecycle.is('admitting') && isBinary) return; // media sent before `ready`: dropped
    if (!isBinary) this.send({ type: 'error', message: 'unexpected text frame' });
  }

  private async admit(token: string, mimeType: string): Promise<void> {
    try {
      const stream = await this.host.admit(this.streamKey, token, mimeType, this.from);
      this.stream = stream;
      if (!this.lifecycle.is('admitting')) return await this.abandon(stream);
      const pipeline = await this.host.startPipeline(stream, mimeType, this.label);
      this.pipeline = pipeline;
      if (!this.lifecycle.is('admitting')) return await this.abandon(stream);
      pipeline.on('status', (stats: PipelineStats) => this.send({ type: 'status', pipeline: stats }));
      pipeline.on('failed', (reason: string, kind: PipelineFailureKind) => {
        void this.close(closeCodeForFailure(kind), reason);
      });
      this.lifecycle.to('live');
      this.idleTimer = setTimeout(
        () => void this.close(CloseCode.Idle, `no media for ${IDLE_TIMEOUT_MS / 1000} s`),
        IDLE_TIMEOUT_MS,
      );
      this.pingTimer = setInterval(() => this.heartbeat(), PING_EVERY_MS);
      const maxMs = this.host.maxBroadcastMs;
      if (maxMs) {
        const minutes = +(maxMs / 60_000).toFixed(2);
        this.durationTimer = setTimeout(
          () => void this.close(CloseCode.MaxDuration, `maximum broadcast duration reached (${minutes} min)`),
          maxMs,
        );
      }
      this.lastAckTick = performance.now();
      this.ackTimer = setInterval(() => this.acknowledge(), ACK_EVERY_MS);
      this.send({
        type: 'ready',
        streamId: stream.id,
        video: /h264|avc1|avc3/i.test(mimeType) ? 'copy' : 'transcode',
      });
      this.send({ type: 'status', stream: { status: stream.status, isLive: stream.isLive } });
      this.logger.log(`[${this.label}] publishing to stream ${stream.id} (${mimeType})`);
    } catch (e) {
      if (e instanceof IngestRefusal) {
        this.logger.log(`[${this.label}] refused ${e.code}: ${e.message}`);
        this.host.refused(e.code);
        void this.close(e.code, e.message);
      } else {
        this.logger.error(`[${this.label}] could not start: ${(e as Error).message}`);
        void this.close(CloseCode.PipelineGaveUp, 'the pipeline could not start');
      }
    }
  }

  /** The socket went away while we were admitting it: undo what admission started. */
  private async abandon(stream: LiveStream): Promise<void> {
    await this.pipeline?.stop(1_000, SHUTDOWN_DRAIN_MAX_MS);
    await this.host.finish(stream, 'dropped');
    this.lifecycle.to('closed');
  }

  /** Tells the client what has arrived, so it can measure its real backlog (COMMON protocol). */
  private acknowledge(): void {
    const now = performance.now();
    const lagMs = Math.max(0, Math.round(now - this.lastAckTick - ACK_EVERY_MS));
    this.lastAckTick = now;
    const pipeline = this.pipeline;
    if (!pipeline || now - this.lastMediaAt > ACK_QUIET_AFTER_MS) return;
    this.send({
      type: 'status',
      ack: { bytes: this.bytesReceived, mediaMs: pipeline.mediaMs, segment: pipeline.segments, lagMs },
    });
  }

  private heartbeat(): void {
    if (!this.alive) {
      this.logger.warn(`[${this.label}] no pong: dropping the connection`);
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  private end(how: PublishEnd): Promise<void> {
    this.ended ??= this.doEnd(how);
    return this.ended;
  }

  private async doEnd(how: PublishEnd): Promise<void> {
    const wasAdmitting = this.lifecycle.is('admitting');
    this.lifecycle.to('closing');
    clearTimeout(this.helloTimer);
    clearTimeout(this.idleTimer);
    clearInterval(this.pingTimer);
    clearInterval(this.ackTimer);
    clearTimeout(this.durationTimer);
    if (wasAdmitting && !this.stream) return; // admit() will see the phase and clean up itself
    const pipeline = this.pipeline;
    if (pipeline) {
      await pipeline.stop(DRAIN_IDLE_MS[how], this.drainMaxMs);
      if (pipeline.stats().state === 'failed') how = 'failed';
    }
    if (this.stream) await this.host.finish(this.stream, how);
    this.lifecycle.to('closed');
    this.logger.log(`[${this.label}] publish ended (${how})`);
  }
}
