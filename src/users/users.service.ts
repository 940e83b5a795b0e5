import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';
import { isUniqueViolation } from '../prisma/prisma-errors';
import { livePosterUrl } from '../streams/providers/local.provider';
import { HANDLE_PATTERN, type CreatorProfileDto } from './dto/creator-profile.dto';

const PROFILE = { handle: true, displayName: true, bio: true } as const;
const LIVE = {
  id: true,
  status: true,
  isLive: true,
  playbackId: true,
  playbackUrl: true,
  startedAt: true,
  provider: true,
} as const;

/** A live stream as cards show it: with its poster (issue 12), without the provider's name. */
function liveCard<T extends { provider: string; playbackId: string | null }>({ provider, ...l }: T) {
  return { ...l, posterUrl: livePosterUrl(provider, l.playbackId) };
}

@Injectable()
export class UsersService {
  constructor(private readonly prisma: PrismaService) {}

  async me(userId: string) {
    const user = await this.prisma.user.findUniqueOrThrow({
      where: { id: userId },
      select: { id: true, displayName: true, allowDownloads: true, creatorProfile: { select: PROFILE } },
    });
    return {
      id: user.id,
      displayName: user.displayName,
      creatorProfile: user.creatorProfile,
      allowDownloads: user.allowDownloads,
    };
  }

  async saveCreatorProfile(userId: string, dto: CreatorProfileDto) {
    const data = { handle: dto.handle, displayName: dto.displayName.trim(), bio: dto.bio ?? '' };
    try {
      // One transaction: a taken handle (409) changes nothing, allowDownloads included.
      return await this.prisma.$transaction(async (tx) => {
        const profile = await tx.creatorProfile.upsert({
          where: { userId },
          create: { userId, ...data },
          update: dto.bio === undefined ? { handle: data.handle, displayName: data.displayName } : data,
          select: PROFILE,
        });
        if (dto.allowDownloads !== undefined)
          await tx.user.update({ where: { id: userId }, data: { allowDownloads: dto.allowDownloads } });
        return profile;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictException(`The handle "${dto.handle}" is taken`);
      throw e;
    }
  }

  /** A creator's public page: the profile and the current (newest, not ended) live stream. */
  async creatorPage(handle: string) {
    if (!HANDLE_PATTERN.test(handle)) throw new NotFoundException('No creator with that handle');
    const profile = await this.prisma.creatorProfile.findUnique({
      where: { handle },
      select: {
        ...PROFILE,
        user: {
          select: {
            liveStreams: {
              where: { status: { not: 'ENDED' } },
              orderBy: { createdAt: 'desc' },
              take: 1,
              select: LIVE,
            },
          },
        },
      },
    });
    if (!profile) throw new NotFoundException(`No creator with the handle "${handle}"`);
    const { user, ...rest } = profile;
    const live = user.liveStreams[0];
    return { ...rest, liveStream: live ? liveCard(live) : null };
  }

  /** The home feed: creators, live ones first, each with its latest post. */
  async listCreators(limit = 50) {
    const profiles = await this.prisma.creatorProfile.findMany({
      orderBy: { createdAt: 'desc' },
      take: limit,
      select: {
        ...PROFILE,
        user: {
          select: {
            liveStreams: { where: { isLive: true }, orderBy: { createdAt: 'desc' }, take: 1, select: LIVE },
            posts: {
              orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
              take: 1,
              select: {
                id: true,
                kind: true,
                title: true,
                body: true,
                playbackId: true,
                playbackUrl: true,
                durationSec: true,
                createdAt: true,
              },
            },
          },
        },
      },
    });
    const items = profiles.map(({ user, ...p }) => ({
      ...p,
      live: user.liveStreams[0] ? liveCard(user.liveStreams[0]) : null,
      latestPost: user.posts[0]
        ? { ...user.posts[0], creator: { handle: p.handle, displayName: p.displayName } }
        : null,
    }));
    items.sort((a, b) => Number(!!b.live) - Number(!!a.live));
    return { items };
  }
}
