import { Inject, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { WebSocket } from 'ws';
import { AuthService } from '../auth/auth.service';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { CloseCode } from '../contract/close-codes';
import type { RoomClientMessage } from '../contract/room-protocol';
import { NotifyBus } from '../prisma/notify-bus';
import { PerKeyCap } from '../streams/ingest/admission-limits';
import { STATE_CHANNEL } from '../streams/ingest/stream-state-bus';
import {
  StreamConnectedEvent,
  StreamDisconnectedEvent,
  StreamEndedEvent,
  StreamWentLiveEvent,
} from '../streams/events/stream.events';
import { banHolds } from './chat-rules';
import { ChatService, type RoomCreator } from './chat.service';
import { ChatActions } from './chat-actions';
import { SignInThrottled } from '../auth/sign-in-limit';
import { RoomConnection, type RoomConnectionHost, RoomRefusal } from './room-connection';
import { type Room, RoomHub } from './room-hub';

type StreamStateEvent =
  StreamConnectedEvent | StreamWentLiveEvent | StreamDisconnectedEvent | StreamEndedEvent;

/** Admits watch sockets into rooms, keeps the rooms' live state current, and hands chat to ChatActions. */
@Injectable()
export class RoomService implements RoomConnectionHost {
  private readonly logger = new Logger('Room');
  private readonly anonymous: PerKeyCap;
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly conns = new Set<RoomConnection>();
  /** Gives back a socket's anonymous slot (once it signs in or closes). */
  private readonly releaseSlot = new WeakMap<RoomConnection, () => void>();
  /** Each socket's address: a join with a bad token counts against it (auth/sign-in-limit.ts). */
  private readonly addressOf = new WeakMap<RoomConnection, string>();
  private accepting = true;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly chat: ChatService,
    private readonly actions: ChatActions,
    private readonly hub: RoomHub,
    bus: NotifyBus,
  ) {
    this.anonymous = new PerKeyCap(config.room.anonymousSocketsPerIp);
    // Stream state changes applied on another instance (its webhooks or its local provider).
    bus.subscribe(STATE_CHANNEL, (m) => {
      if (typeof m.liveStreamId === 'string') void this.streamChanged(m.liveStreamId);
    });
  }

  get maxMessagesPerSecond(): number {
    return this.config.room.maxMessagesPerSecond;
  }

  /** A new watch socket: anonymous until its join proves otherwise, and capped per address as such. */
  open(ws: WebSocket, handle: string, ip: string): void {
    if (!this.accepting) return ws.close(CloseCode.GoingAway, 'the server is shutting down');
    if (!this.anonymous.tryAcquire(ip)) {
      return ws.close(CloseCode.TooManyRequests, 'too many anonymous connections from your address');
    }
    let slot = true;
    const release = () => {
      if (slot) this.anonymous.release(ip);
      slot = false;
    };
    const conn = new RoomConnection(ws, handle, this, this.logger);
    this.releaseSlot.set(conn, release);
    this.addressOf.set(conn, ip);
    this.conns.add(conn);
  }

  async join(conn: RoomConnection, token: string | undefined): Promise<void> {
    if (token !== undefined) {
      const user = await this.auth
        .signIn(token, this.addressOf.get(conn) ?? 'unknown')
        .catch((e: unknown) => {
          if (e instanceof SignInThrottled) throw new RoomRefusal(CloseCode.TooManyRequests, e.message);
          throw e;
        });
      if (!user) throw new RoomRefusal(CloseCode.Unauthenticated, 'the session token is invalid or expired');
      conn.user = user;
      this.releaseSlot.get(conn)?.(); // signed in: no longer an anonymous socket
    }
    const creator = await this.chat.creatorByHandle(conn.handle);
    if (!creator) throw new RoomRefusal(CloseCode.UnknownRoom, 'no creator has this handle');
    const room = await this.room(creator.id, creator);
    const ban = conn.user ? await this.chat.banOf(creator.id, conn.user.id) : null;
    const messages = await this.chat.recent(room.live.streamId);
    if (!conn.open) return;
    conn.roomId = creator.id;
    conn.isOwner = conn.user?.id === creator.id;
    conn.counted = !conn.isOwner;
    room.conns.add(conn);
    if (conn.counted) room.viewers++;
    const holds = banHolds(ban, Date.now());
    conn.send({
      type: 'joined',
      creator: room.creator,
      live: room.live,
      viewers: this.hub.total(room),
      messages,
      slowModeSec: room.slowModeSec,
      you: {
        userId: conn.user?.id ?? null,
        canChat: !!conn.user,
        isOwner: conn.isOwner,
        bannedUntil: holds ? (ban!.until?.toISOString() ?? 'forever') : null,
      },
    });
  }

  act(conn: RoomConnection, m: Exclude<RoomClientMessage, { type: 'join' }>): Promise<void> {
    const room = conn.roomId ? this.hub.rooms.get(conn.roomId) : undefined;
    if (!room) return Promise.resolve();
    return this.actions.handle(conn, room, m);
  }

  leave(conn: RoomConnection): void {
    this.releaseSlot.get(conn)?.();
    this.conns.delete(conn);
    const room = conn.roomId ? this.hub.rooms.get(conn.roomId) : undefined;
    if (!room || !room.conns.delete(conn)) return;
    if (conn.counted) room.viewers--;
    if (room.conns.size === 0) this.hub.rooms.delete(room.creator.id);
  }

  /** The room on this instance, loaded once however many sockets join at the same time. */
  private async room(id: string, creator: RoomCreator): Promise<Room> {
    const existing = this.hub.rooms.get(id);
    if (existing) return existing;
    let pending = this.loading.get(id);
    if (!pending) {
      pending = (async () => {
        const [live, slowModeSec] = await Promise.all([this.chat.liveState(id), this.chat.slowMode(id)]);
        const room: Room = { creator, live, slowModeSec, conns: new Set(), viewers: 0, lastTotal: -1 };
        return room;
      })().finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    const loaded = await pending;
    const now = this.hub.rooms.get(id);
    if (now) return now;
    this.hub.rooms.set(id, loaded);
    return loaded;
  }

  /** Provider state changes applied on this instance. */
  @OnEvent(StreamConnectedEvent.event)
  @OnEvent(StreamWentLiveEvent.event)
  @OnEvent(StreamDisconnectedEvent.event)
  @OnEvent(StreamEndedEvent.event)
  async onStreamEvent(e: StreamStateEvent): Promise<void> {
    await this.streamChanged(e.stream.liveStreamId, e.stream.creatorId);
  }

  /** A stream's state changed: its creator's room (if it has sockets here) is told the new live state. */
  private async streamChanged(streamId: string, creatorId?: string): Promise<void> {
    try {
      const id = creatorId ?? (await this.chat.creatorOfStream(streamId))?.creatorId;
      const room = id ? this.hub.rooms.get(id) : undefined;
      if (!room) return;
      const live = await this.chat.liveState(room.creator.id);
      const before = room.live;
      room.live = live;
      if (
        before.streamId !== live.streamId ||
        before.isLive !== live.isLive ||
        before.startedAt !== live.startedAt
      )
        this.hub.sendToRoom(room.creator.id, { type: 'live', live });
    } catch (e) {
      this.logger.warn(`room state update failed: ${(e as Error).message}`);
    }
  }

  /** Shutdown: refuse new sockets and close the open ones with 1001. */
  closeAll(): void {
    this.accepting = false;
    for (const c of this.conns) c.close(CloseCode.GoingAway, 'the server is restarting');
  }
}
