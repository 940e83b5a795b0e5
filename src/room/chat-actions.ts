import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import type { BanRequest, ChatSend, RefusalReason, RoomClientMessage } from '../contract/room-protocol';
import { banHolds, banUntil, ChatRateLimit, checkChatText, slowModeWait } from './chat-rules';
import { ChatService } from './chat.service';
import type { RoomConnection } from './room-connection';
import { type Room, RoomHub } from './room-hub';

/** What a room's members may do: chat (signed in), and for the creator delete, ban and slow mode. */
@Injectable()
export class ChatActions {
  private readonly logger = new Logger('Chat');
  private readonly rate: ChatRateLimit;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly chat: ChatService,
    private readonly hub: RoomHub,
  ) {
    this.rate = new ChatRateLimit(config.room.chatBurst, config.room.chatPerSecond);
  }

  /** Never throws: a failure is answered on the socket. */
  async handle(
    conn: RoomConnection,
    room: Room,
    m: Exclude<RoomClientMessage, { type: 'join' }>,
  ): Promise<void> {
    try {
      if (m.type === 'chat') return await this.send(conn, room, m);
      if (!conn.user) return refuse(conn, m.ref, 'sign-in', 'Sign in to chat');
      if (!conn.isOwner) return refuse(conn, m.ref, 'forbidden', 'Only the creator moderates this chat');
      const id = room.creator.id;
      switch (m.type) {
        case 'delete':
          if ((await this.chat.delete(id, m.messageId)) === 'not-found')
            return refuse(conn, m.ref, 'not-found', 'No such message in this chat');
          return await this.hub.broadcast({ kind: 'deleted', room: id, messageId: m.messageId });
        case 'ban':
          return await this.ban(conn, room, m);
        case 'slow-mode':
          await this.chat.setSlowMode(id, m.seconds);
          return await this.hub.broadcast({ kind: 'slow-mode', room: id, seconds: m.seconds });
      }
    } catch (e) {
      this.logger.error(`chat ${m.type} failed: ${(e as Error).message}`);
      refuse(conn, m.ref, 'bad-request', 'That did not work: try again');
    }
  }

  private async send(conn: RoomConnection, room: Room, m: ChatSend): Promise<void> {
    const user = conn.user;
    if (!user) return refuse(conn, m.ref, 'sign-in', 'Sign in to chat');
    const verdict = checkChatText(m.text);
    if (!verdict.ok) return refuse(conn, m.ref, verdict.reason, verdict.message);
    const { streamId, isLive, startedAt } = room.live;
    if (!streamId || !isLive || !startedAt)
      return refuse(conn, m.ref, 'not-live', 'The chat opens when the creator is live');
    const now = Date.now();
    if (!conn.isOwner) {
      const ban = await this.chat.banOf(room.creator.id, user.id);
      if (banHolds(ban, now)) {
        const until = ban!.until ? `until ${ban!.until.toISOString()}` : 'for good';
        return refuse(conn, m.ref, 'banned', `You are banned from this chat ${until}`);
      }
    }
    const wait = this.rate.take(user.id);
    if (wait > 0) return refuse(conn, m.ref, 'rate-limited', 'You are sending messages too fast', wait);
    if (!conn.isOwner && room.slowModeSec > 0) {
      const slow = slowModeWait(room.slowModeSec, await this.chat.lastMessageAt(streamId, user.id), now);
      if (slow > 0)
        return refuse(conn, m.ref, 'slow-mode', `Slow mode: one message every ${room.slowModeSec} s`, slow);
    }
    const message = await this.chat.post(streamId, new Date(startedAt), user.id, verdict.text);
    conn.send({ type: 'sent', ref: m.ref, messageId: message.id });
    await this.hub.broadcast({ kind: 'chat', room: room.creator.id, message });
  }

  private async ban(conn: RoomConnection, room: Room, m: BanRequest): Promise<void> {
    if (m.userId === room.creator.id) return refuse(conn, m.ref, 'bad-request', 'You cannot ban yourself');
    const until = banUntil(m.minutes, Date.now());
    if ((await this.chat.ban(room.creator.id, m.userId, until)) === 'no-such-user')
      return refuse(conn, m.ref, 'not-found', 'No such user');
    await this.hub.broadcast({
      kind: 'banned',
      room: room.creator.id,
      userId: m.userId,
      until: until?.toISOString() ?? 'forever',
    });
  }
}

function refuse(
  conn: RoomConnection,
  ref: string | undefined,
  reason: RefusalReason,
  message: string,
  retryAfterMs?: number,
): void {
  conn.send({ type: 'refused', ref, reason, message, ...(retryAfterMs ? { retryAfterMs } : {}) });
}
