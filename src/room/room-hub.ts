import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import type { ChatMessageView, RoomLiveState, RoomServerMessage } from '../contract/room-protocol';
import { NotifyBus } from '../prisma/notify-bus';
import type { RoomCreator } from './chat.service';
import type { RoomConnection } from './room-connection';
import { type CountsSnapshot, snapshotParts, ViewerCounts } from './viewer-counts';

export const ROOM_CHANNEL = 'vybzz_room';
/** Counts are published and compared this often: viewer-count changes reach watchers at most 1/s. */
export const COUNT_TICK_MS = 1_000;

/** One creator's room on this instance: its sockets and what they are shown. */
export interface Room {
  creator: RoomCreator;
  live: RoomLiveState;
  slowModeSec: number;
  conns: Set<RoomConnection>;
  /** Sockets counted as viewers here. */
  viewers: number;
  /** The total last sent to this room's sockets. */
  lastTotal: number;
}

/** What travels between instances on ROOM_CHANNEL. */
type RoomBusMessage =
  | { kind: 'chat'; room: string; message: ChatMessageView }
  | { kind: 'deleted'; room: string; messageId: string }
  | { kind: 'banned'; room: string; userId: string; until: string }
  | { kind: 'slow-mode'; room: string; seconds: number }
  | { kind: 'counts'; snapshot: CountsSnapshot }
  | { kind: 'bye' };

/**
 * The rooms with sockets on this instance, and the fan-out: an event goes to this instance's sockets
 * at once and to the other instances over the bus (PostgreSQL LISTEN/NOTIFY). Viewer counts: each
 * instance heartbeats its own counts every second; a room's total is the sum of the fresh ones.
 */
@Injectable()
export class RoomHub implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Room');
  readonly rooms = new Map<string, Room>();
  private readonly counts: ViewerCounts;
  private ticker: NodeJS.Timeout | undefined;
  private seq = 0;
  private publishedNonEmpty = false;

  constructor(
    private readonly bus: NotifyBus,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.counts = new ViewerCounts(config.room.viewerCountStaleMs);
    bus.subscribe(ROOM_CHANNEL, (m) => this.receive(m as unknown as RoomBusMessage & { from: string }));
  }

  onApplicationBootstrap(): void {
    this.ticker = setInterval(() => void this.tick(), COUNT_TICK_MS);
    this.ticker.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.ticker);
    await this.publish({ kind: 'bye' });
  }

  /** This room's viewers on every instance. */
  total(room: Room): number {
    return room.viewers + this.counts.remoteTotal(room.creator.id);
  }

  /** Delivers here and to the other instances. */
  async broadcast(m: Exclude<RoomBusMessage, { kind: 'counts' | 'bye' }>): Promise<void> {
    this.deliver(m);
    await this.publish(m);
  }

  /** To this instance's sockets of a room. */
  sendToRoom(roomId: string, m: RoomServerMessage): void {
    const room = this.rooms.get(roomId);
    if (!room) return;
    // Serialised and UTF-8 encoded once for all of this instance's sockets (not once per socket).
    const frame = Buffer.from(JSON.stringify(m));
    for (const c of room.conns) c.send(frame);
  }

  private deliver(m: RoomBusMessage): void {
    switch (m.kind) {
      case 'chat':
        return this.sendToRoom(m.room, { type: 'chat', message: m.message });
      case 'deleted':
        return this.sendToRoom(m.room, { type: 'deleted', messageId: m.messageId });
      case 'slow-mode': {
        const room = this.rooms.get(m.room);
        if (room) room.slowModeSec = m.seconds;
        return this.sendToRoom(m.room, { type: 'slow-mode', seconds: m.seconds });
      }
      case 'banned':
        for (const c of this.rooms.get(m.room)?.conns ?? []) {
          if (c.user?.id === m.userId) c.send({ type: 'banned', until: m.until });
        }
        return;
      case 'counts':
      case 'bye':
        return;
    }
  }

  private receive(m: RoomBusMessage & { from: string }): void {
    if (m.kind === 'counts') this.counts.receive(m.from, m.snapshot);
    else if (m.kind === 'bye') this.counts.forget(m.from);
    else if (typeof m.room === 'string') this.deliver(m);
  }

  private async publish(m: RoomBusMessage): Promise<void> {
    await this.bus.publish(ROOM_CHANNEL, m).catch((e: Error) => this.logger.warn(`room bus: ${e.message}`));
  }

  /** Heartbeat our counts; tell each room its total when it changed. */
  private async tick(): Promise<void> {
    const mine = new Map<string, number>();
    for (const [id, r] of this.rooms) if (r.viewers > 0) mine.set(id, r.viewers);
    if (mine.size || this.publishedNonEmpty) {
      this.publishedNonEmpty = mine.size > 0;
      const seq = ++this.seq;
      for (const snapshot of snapshotParts(seq, mine)) await this.publish({ kind: 'counts', snapshot });
    }
    for (const room of this.rooms.values()) {
      const total = this.total(room);
      if (total !== room.lastTotal) {
        room.lastTotal = total;
        this.sendToRoom(room.creator.id, { type: 'viewers', count: total });
      }
    }
  }
}
