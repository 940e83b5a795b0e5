import { randomUUID } from 'node:crypto';
import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { isUniqueViolation } from '../prisma/prisma-errors';
import type { RecordingReadyEvent } from '../streams/events/stream.events';
import type { CreatePostDto } from './dto/create-post.dto';
import type { ListPostsQuery } from './dto/list-posts.query';
import { decodeCursor, encodeCursor } from './post-cursor';

const POST_SELECT = {
  id: true,
  kind: true,
  title: true,
  body: true,
  playbackId: true,
  playbackUrl: true,
  durationSec: true,
  downloadUrl: true,
  posterUrl: true,
  liveStreamId: true,
  createdAt: true,
  authorId: true,
  author: {
    select: { allowDownloads: true, creatorProfile: { select: { handle: true, displayName: true } } },
  },
} satisfies Prisma.PostSelect;

type PostRow = Prisma.PostGetPayload<{ select: typeof POST_SELECT }>;

/** `downloadUrl` only for whom may download: the author always, others when the creator allows it. */
export function toPostDto(p: PostRow, viewerId?: string) {
  const mayDownload = p.author.allowDownloads || (viewerId !== undefined && viewerId === p.authorId);
  return {
    id: p.id,
    kind: p.kind,
    title: p.title,
    body: p.body,
    playbackId: p.playbackId ?? undefined,
    playbackUrl: p.playbackUrl ?? undefined,
    durationSec: p.durationSec ?? undefined,
    downloadUrl: (mayDownload && p.downloadUrl) || undefined,
    posterUrl: p.posterUrl ?? undefined,
    streamId: p.liveStreamId ?? undefined,
    createdAt: p.createdAt,
    creator: p.author.creatorProfile,
  };
}

@Injectable()
export class PostsService {
  constructor(private readonly prisma: PrismaService) {}

  async create(userId: string, dto: CreatePostDto) {
    const profile = await this.prisma.creatorProfile.findUnique({ where: { userId }, select: { id: true } });
    if (!profile) throw new ForbiddenException('Only creators can post: set up your creator profile first');
    const post = await this.prisma.post.create({
      data: { authorId: userId, kind: 'TEXT', title: dto.title.trim(), body: dto.body ?? '' },
      select: POST_SELECT,
    });
    return toPostDto(post);
  }

  async list(q: ListPostsQuery, viewerId?: string) {
    const take = q.limit ?? 20;
    const cursor = q.cursor ? decodeCursor(q.cursor) : null;
    if (q.cursor && !cursor) throw new BadRequestException('cursor is not valid');
    const where: Prisma.PostWhereInput = {
      author: q.creator ? { creatorProfile: { handle: q.creator } } : { creatorProfile: { isNot: null } },
      ...(cursor && {
        OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }],
      }),
    };
    const rows = await this.prisma.post.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: take + 1,
      select: POST_SELECT,
    });
    const page = rows.slice(0, take);
    const last = page[page.length - 1];
    return {
      items: page.map((p) => toPostDto(p, viewerId)),
      nextCursor: rows.length > take && last ? encodeCursor(last) : null,
    };
  }

  async get(id: string, viewerId?: string) {
    const post = await this.prisma.post.findUnique({ where: { id }, select: POST_SELECT });
    if (!post) throw new NotFoundException('No such post');
    return toPostDto(post, viewerId);
  }

  async delete(userId: string, id: string): Promise<void> {
    const post = await this.prisma.post.findUnique({ where: { id }, select: { authorId: true } });
    if (!post) throw new NotFoundException('No such post');
    if (post.authorId !== userId) throw new ForbiddenException('Only the author can delete this post');
    await this.prisma.post.deleteMany({ where: { id, authorId: userId } });
  }

  /** One VOD post per recording asset, whatever the number of deliveries. Returns false for a duplicate. */
  async createVodPost(e: RecordingReadyEvent): Promise<boolean> {
    const r = e.recording;
    const id = randomUUID();
    try {
      await this.prisma.post.create({
        data: {
          id,
          authorId: e.stream.creatorId,
          kind: 'VOD',
          title: r.title,
          body: '',
          assetId: r.assetId,
          playbackId: r.playbackId,
          playbackUrl: r.playbackUrl,
          durationSec: r.durationSec,
          posterUrl: r.posterUrl ?? null,
          downloadUrl: r.localDownload ? `/posts/${id}/download` : null,
          liveStreamId: e.stream.liveStreamId,
        },
      });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }
}
