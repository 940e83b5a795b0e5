import { Injectable, NotFoundException } from '@nestjs/common';
import type { ChatMessageView, RoomLiveState } from '../contract/room-protocol';
import { JOIN_HISTORY } from '../contract/room-protocol';
import { PrismaService } from '../prisma/prisma.service';

export interface RoomCreator {
  id: string;
  handle: string;
  name: string;
}

const VIEW_SELECT = {
  id: true,
  streamId: true,
  text: true,
  createdAt: true,
  offsetMs: true,
  author: { select: { id: true, displayName: true } },
} as const;

type ViewRow = {
  id: string;
  streamId: string;
  text: string;
  createdAt: Date;
  offsetMs: number;
  author: { id: string; displayName: string };
};

export function toChatView(r: ViewRow): ChatMessageView {
  return {
    id: r.id,
    streamId: r.streamId,
    author: { id: r.author.id, name: r.author.displayName },
    text: r.text,
    createdAt: r.createdAt.toISOString(),
    offsetMs: r.offsetMs,
  };
}

/** The chat's storage: messages, deletions, bans and a creator's chat settings. */
@Injectable()
export class ChatService {
  constructor(private readonly prisma: PrismaService) {}

  async creatorByHandle(handle: string): Promise<RoomCreator | null> {
    const p = await this.prisma.creatorProfile.findUnique({
      where: { handle },
      select: { userId: true, handle: true, displayName: true },
    });
    return p ? { id: p.userId, handle: p.handle, name: p.displayName } : null;
  }

  /** The creator's open (not ended) stream, as the room shows it. */
  async liveState(creatorId: string): Promise<RoomLiveState> {
    const s = await this.prisma.liveStream.findFirst({
      where: { creatorId, status: { not: 'ENDED' } },
      orderBy: { createdAt: 'desc' },
      select: { id: true, isLive: true, startedAt: true },
    });
    return {
      streamId: s?.id ?? null,
      isLive: !!s?.isLive,
      startedAt: s?.isLive && s.startedAt ? s.startedAt.toISOString() : null,
    };
  }

  creatorOfStream(streamId: string): Promise<{ creatorId: string } | null> {
    return this.prisma.liveStream.findUnique({ where: { id: streamId }, select: { creatorId: true } });
  }

  async recent(streamId: string | null): Promise<ChatMessageView[]> {
    if (!streamId) return [];
    const rows = await this.prisma.chatMessage.findMany({
      where: { streamId, deletedAt: null },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: JOIN_HISTORY,
      select: VIEW_SELECT,
    });
    return rows.reverse().map(toChatView);
  }

  async post(streamId: string, startedAt: Date, authorId: string, text: string): Promise<ChatMessageView> {
    const offsetMs = Math.max(0, Date.now() - startedAt.getTime());
    const row = await this.prisma.chatMessage.create({
      data: { streamId, authorId, text, offsetMs },
      select: VIEW_SELECT,
    });
    return toChatView(row);
  }

  async lastMessageAt(streamId: string, authorId: string): Promise<number | null> {
    const m = await this.prisma.chatMessage.findFirst({
      where: { streamId, authorId },
      orderBy: { createdAt: 'desc' },
      select: { createdAt: true },
    });
    return m ? m.createdAt.getTime() : null;
  }

  /** Marks a message of this creator's streams deleted; 'not-found' when it is no message of theirs. */
  async delete(creatorId: string, messageId: string): Promise<'deleted' | 'not-found'> {
    const n = await this.prisma.chatMessage.updateMany({
      where: { id: messageId, stream: { creatorId } },
      data: { deletedAt: new Date() },
    });
    return n.count ? 'deleted' : 'not-found';
  }

  async authorOf(messageId: string): Promise<string | null> {
    const m = await this.prisma.chatMessage.findUnique({
      where: { id: messageId },
      select: { authorId: true },
    });
    return m?.authorId ?? null;
  }

  async ban(creatorId: string, userId: string, until: Date | null): Promise<'banned' | 'no-such-user'> {
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) return 'no-such-user';
    await this.prisma.chatBan.upsert({
      where: { creatorId_userId: { creatorId, userId } },
      create: { creatorId, userId, until },
      update: { until, createdAt: new Date() },
    });
    return 'banned';
  }

  banOf(creatorId: string, userId: string): Promise<{ until: Date | null } | null> {
    return this.prisma.chatBan.findUnique({
      where: { creatorId_userId: { creatorId, userId } },
      select: { until: true },
    });
  }

  async slowMode(creatorId: string): Promise<number> {
    const r = await this.prisma.chatRoom.findUnique({ where: { creatorId }, select: { slowModeSec: true } });
    return r?.slowModeSec ?? 0;
  }

  async setSlowMode(creatorId: string, seconds: number): Promise<void> {
    await this.prisma.chatRoom.upsert({
      where: { creatorId },
      create: { creatorId, slowModeSec: seconds },
      update: { slowModeSec: seconds },
    });
  }

  /**
   * A broadcast's chat between two offsets, in order, deleted messages left out; `after` (the last
   * id of the previous page, with its offset) continues a page.
   */
  async replay(q: { streamId: string; fromMs: number; toMs: number; limit: number; after?: string }) {
    const stream = await this.prisma.liveStream.findUnique({
      where: { id: q.streamId },
      select: { id: true },
    });
    if (!stream) throw new NotFoundException('No such stream');
    let cursor: { offsetMs: number; id: string } | null = null;
    if (q.after) {
      const c = await this.prisma.chatMessage.findFirst({
        where: { id: q.after, streamId: q.streamId },
        select: { offsetMs: true, id: true },
      });
      if (!c) throw new NotFoundException('No such cursor');
      cursor = c;
    }
    const rows = await this.prisma.chatMessage.findMany({
      where: {
        streamId: q.streamId,
        deletedAt: null,
        offsetMs: { gte: q.fromMs, lt: q.toMs },
        ...(cursor
          ? {
              OR: [
                { offsetMs: { gt: cursor.offsetMs } },
                { offsetMs: cursor.offsetMs, id: { gt: cursor.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ offsetMs: 'asc' }, { id: 'asc' }],
      take: q.limit + 1,
      select: VIEW_SELECT,
    });
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit).map(toChatView);
    return { items, nextCursor: more ? (items[items.length - 1]?.id ?? null) : null };
  }
}
