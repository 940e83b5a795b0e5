import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { StreamStatus } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import {
  RecordingReadyEvent,
  StreamConnectedEvent,
  StreamDisconnectedEvent,
  StreamEndedEvent,
  StreamWentLiveEvent,
} from './events/stream.events';

/** A provider's report about a live stream, from a Mux webhook or the local provider. */
export type ProviderStreamChange = 'connected' | 'active' | 'disconnected' | 'idle' | 'ended';

export type ApplyResult = 'applied' | 'stale' | 'unknown-stream';

export interface RecordingInfo {
  assetId: string;
  playbackId: string;
  playbackUrl: string;
  durationSec: number | null;
  /** A JPEG of the recording (issue 12). */
  posterUrl?: string | null;
  /** Local mode: the recording has an MP4 the app serves at /posts/:id/download. */
  localDownload?: boolean;
}

const STATUS: Record<ProviderStreamChange, { status: StreamStatus; isLive: boolean }> = {
  connected: { status: 'CONNECTED', isLive: false },
  active: { status: 'ACTIVE', isLive: true },
  disconnected: { status: 'DISCONNECTED', isLive: false },
  idle: { status: 'IDLE', isLive: false },
  ended: { status: 'ENDED', isLive: false },
};

/**
 * Applies provider state changes to LiveStream rows by the provider's event time — never backwards,
 * whatever the arrival order — and emits the domain events after the write. Emission is awaited, so a
 * failing listener fails the caller (a webhook then answers 5xx and is retried).
 */
@Injectable()
export class LiveStateService {
  private readonly logger = new Logger(LiveStateService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly events: EventEmitter2,
  ) {}

  async applyChange(
    providerStreamId: string,
    change: ProviderStreamChange,
    occurredAt: Date,
  ): Promise<ApplyResult> {
    const { status, isLive } = STATUS[change];
    const startedAt = change === 'active' ? occurredAt : null;
    const endedAt = change === 'idle' || change === 'ended' ? occurredAt : null;
    // One round trip: the conditional update says whether it applied and returns what the events need.
    const rows = await this.prisma.$queryRaw<{ id: string; creator_id: string }[]>`
      UPDATE live_streams SET
        status = ${status}::"StreamStatus",
        is_live = ${isLive},
        state_changed_at = ${occurredAt},
        -- a broadcast starts on the first 'active' after an end: a reconnect inside Mux's window
        -- (disconnected → connected → active) continues it and keeps its start
        started_at = CASE WHEN ${change === 'active'} AND (started_at IS NULL OR ended_at IS NOT NULL)
          THEN ${startedAt}::timestamptz ELSE started_at END,
        ended_at = CASE WHEN ${change === 'active'} THEN NULL WHEN ${endedAt !== null} THEN ${endedAt}::timestamptz ELSE ended_at END,
        updated_at = now()
      WHERE provider_stream_id = ${providerStreamId}
        AND (state_changed_at IS NULL OR state_changed_at < ${occurredAt})
        -- An ended stream comes back only while its creator has no other open one (one open stream
        -- per creator: live_streams_one_open_per_creator); otherwise the event is stale for it.
        AND NOT (status = 'ENDED' AND ${status}::"StreamStatus" <> 'ENDED' AND EXISTS (
          SELECT 1 FROM live_streams o WHERE o.creator_id = live_streams.creator_id
            AND o.provider = live_streams.provider AND o.status <> 'ENDED' AND o.id <> live_streams.id))
      RETURNING id, creator_id`;
    const row = rows[0];
    if (!row) {
      const exists = await this.prisma.liveStream.findUnique({
        where: { providerStreamId },
        select: { id: true },
      });
      return exists ? 'stale' : 'unknown-stream';
    }
    const ref = { liveStreamId: row.id, creatorId: row.creator_id, occurredAt, state: { status, isLive } };
    switch (change) {
      case 'connected':
        await this.events.emitAsync(StreamConnectedEvent.event, new StreamConnectedEvent(ref));
        break;
      case 'active':
        await this.events.emitAsync(StreamWentLiveEvent.event, new StreamWentLiveEvent(ref));
        break;
      case 'disconnected':
        await this.events.emitAsync(StreamDisconnectedEvent.event, new StreamDisconnectedEvent(ref));
        break;
      case 'idle':
      case 'ended':
        await this.events.emitAsync(StreamEndedEvent.event, new StreamEndedEvent(ref));
        break;
    }
    return 'applied';
  }

  /** The recording of a broadcast is playable: listeners (Posts) turn it into a VOD post, once per asset. */
  async recordingReady(
    providerStreamId: string,
    recording: RecordingInfo,
    occurredAt: Date,
  ): Promise<ApplyResult> {
    const row = await this.prisma.liveStream.findUnique({
      where: { providerStreamId },
      select: { id: true, creatorId: true, title: true, startedAt: true },
    });
    if (!row) return 'unknown-stream';
    await this.prisma.liveStream.update({
      where: { id: row.id },
      data: { activeAssetId: recording.assetId },
    });
    const when = row.startedAt ?? occurredAt;
    const title = row.title || `Live on ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    await this.events.emitAsync(
      RecordingReadyEvent.event,
      new RecordingReadyEvent(
        { liveStreamId: row.id, creatorId: row.creatorId, occurredAt },
        { ...recording, title },
      ),
    );
    this.logger.log(`recording ${recording.assetId} ready for stream ${row.id}`);
    return 'applied';
  }
}
