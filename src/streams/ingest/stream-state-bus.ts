import { Injectable } from '@nestjs/common';
import type { RestreamTargetStatus, StreamStatus } from '../../contract/ingest-protocol';
import { NotifyBus } from '../../prisma/notify-bus';

export const STATE_CHANNEL = 'vybzz_stream_state';
/** Mux mode: a live stream's restream target states (issue 12). */
export const RESTREAM_CHANNEL = 'vybzz_restream_state';

export interface RestreamStatesMessage {
  liveStreamId: string;
  restream: RestreamTargetStatus[];
}

export interface StreamStateMessage {
  liveStreamId: string;
  status: StreamStatus;
  isLive: boolean;
  /** The instance that published it (it delivered to its own sockets already). */
  from: string;
}

/**
 * Stream state changes reach the instance that holds the publisher's socket, whichever instance
 * received the webhook: one channel of the cross-instance bus (PostgreSQL LISTEN/NOTIFY). Other
 * modules (the live room) may listen to the same channel through the NotifyBus.
 */
@Injectable()
export class StreamStateBus {
  constructor(private readonly bus: NotifyBus) {}

  onMessage(handler: (m: StreamStateMessage) => void): void {
    this.bus.subscribe(STATE_CHANNEL, (m) => {
      if (typeof m.liveStreamId === 'string') handler(m as unknown as StreamStateMessage);
    });
  }

  async publish(m: Omit<StreamStateMessage, 'from'>): Promise<void> {
    await this.bus.publish(STATE_CHANNEL, m);
  }

  onRestream(handler: (m: RestreamStatesMessage) => void): void {
    this.bus.subscribe(RESTREAM_CHANNEL, (m) => {
      if (typeof m.liveStreamId === 'string' && Array.isArray(m.restream))
        handler(m as unknown as RestreamStatesMessage);
    });
  }

  async publishRestream(m: RestreamStatesMessage): Promise<void> {
    await this.bus.publish(RESTREAM_CHANNEL, m);
  }
}
