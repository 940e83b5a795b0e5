import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { LiveStream } from '../../generated/prisma/client';
import {
  StreamConnectedEvent,
  StreamDisconnectedEvent,
  StreamEndedEvent,
  StreamWentLiveEvent,
} from '../events/stream.events';
import { MuxSimulcastStatesService, RestreamStatesEvent } from '../mux/mux-simulcast-states.service';
import { StreamsService } from '../streams.service';
import { IngestSessions } from './ingest-sessions';
import { type RestreamStatesMessage, StreamStateBus, type StreamStateMessage } from './stream-state-bus';

type StreamStateEvent =
  StreamConnectedEvent | StreamWentLiveEvent | StreamDisconnectedEvent | StreamEndedEvent;

/**
 * Provider state changes (webhooks or the local provider) and, in Mux mode, the simulcast targets'
 * states reach the publisher's socket: on this instance directly, on the others through the state
 * bus (the publisher may be connected to any).
 */
@Injectable()
export class SessionStateFanout {
  private readonly logger = new Logger('Ingest');

  constructor(
    private readonly streams: StreamsService,
    private readonly bus: StreamStateBus,
    private readonly sessions: IngestSessions,
    private readonly simulcastStates: MuxSimulcastStatesService,
  ) {
    bus.onMessage((m) => this.deliver(m));
    bus.onRestream((m) => this.deliverRestream(m));
  }

  @OnEvent(StreamConnectedEvent.event)
  @OnEvent(StreamWentLiveEvent.event)
  @OnEvent(StreamDisconnectedEvent.event)
  @OnEvent(StreamEndedEvent.event)
  async notify(e: StreamStateEvent): Promise<void> {
    const row = e.stream.state ?? (await this.streams.findById(e.stream.liveStreamId));
    if (!row) return;
    const state = { liveStreamId: e.stream.liveStreamId, status: row.status, isLive: row.isLive };
    this.deliver(state);
    await this.bus
      .publish(state)
      .catch((err: Error) => this.logger.warn(`state broadcast failed: ${err.message}`));
  }

  /** Mux mode: simulcast target states (from a webhook on any instance) reach the publisher's socket. */
  @OnEvent(RestreamStatesEvent.event)
  async notifyRestream(e: RestreamStatesEvent): Promise<void> {
    const m = { liveStreamId: e.liveStreamId, restream: e.restream };
    this.deliverRestream(m);
    await this.bus
      .publishRestream(m)
      .catch((err: Error) => this.logger.warn(`restream state broadcast failed: ${err.message}`));
  }

  /** Mux mode: a publisher back on a new socket sees the targets' states known so far (after `ready`). */
  replayRestream(stream: LiveStream): void {
    if (stream.provider === 'mux' && stream.simulcastStates) setImmediate(() => void this.replay(stream.id));
  }

  private async replay(liveStreamId: string): Promise<void> {
    const restream = await this.simulcastStates.statesOf(liveStreamId).catch(() => null);
    if (restream?.length) this.deliverRestream({ liveStreamId, restream });
  }

  private deliverRestream(m: RestreamStatesMessage): void {
    for (const s of this.sessions.publishing(m.liveStreamId))
      s.send({ type: 'status', pipeline: { restream: m.restream } });
  }

  private deliver(m: Omit<StreamStateMessage, 'from'>): void {
    for (const s of this.sessions.publishing(m.liveStreamId))
      s.send({ type: 'status', stream: { status: m.status, isLive: m.isLive } });
  }
}
