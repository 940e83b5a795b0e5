import { BadGatewayException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { LiveStream } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import type { CreateStreamDto } from './dto/create-stream.dto';
import { ProviderUnavailableError, type PublishedStream, StreamProvider } from './providers/stream-provider';

export const ingestPath = (streamKey: string) => `/stream/live/${streamKey}`;

export function toStreamDto(s: LiveStream) {
  return {
    id: s.id,
    title: s.title,
    status: s.status,
    isLive: s.isLive,
    playbackId: s.playbackId,
    playbackUrl: s.playbackUrl,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
  };
}

@Injectable()
export class StreamsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly provider: StreamProvider,
  ) {}

  /**
   * The creator's live stream, ready to publish to. A creator keeps one reusable stream (and key)
   * until it is ended, as Mux live streams are meant to be used; a new one is provisioned otherwise.
   */
  async create(userId: string, dto: CreateStreamDto) {
    const profile = await this.prisma.creatorProfile.findUnique({ where: { userId }, select: { id: true } });
    if (!profile)
      throw new ForbiddenException('Only creators can go live: set up your creator profile first');
    const current = await this.prisma.liveStream.findFirst({
      where: { creatorId: userId, provider: this.provider.name, status: { not: 'ENDED' } },
      orderBy: { createdAt: 'desc' },
    });
    let stream: LiveStream;
    if (current) {
      stream =
        dto.title !== undefined
          ? await this.prisma.liveStream.update({
              where: { id: current.id },
              data: { title: dto.title.trim() },
            })
          : current;
    } else {
      let provisioned;
      try {
        provisioned = await this.provider.provision(dto.title ?? '');
      } catch (e) {
        if (e instanceof ProviderUnavailableError) throw new BadGatewayException(e.message);
        throw e;
      }
      stream = await this.prisma.liveStream.create({
        data: {
          creatorId: userId,
          provider: this.provider.name,
          title: dto.title?.trim() ?? '',
          ...provisioned,
        },
      });
    }
    return { ...toStreamDto(stream), streamKey: stream.streamKey, ingestPath: ingestPath(stream.streamKey) };
  }

  /** Public state of a stream; the owner also sees its key. */
  async get(id: string, viewerId: string | undefined) {
    const stream = await this.prisma.liveStream.findUnique({ where: { id } });
    if (!stream) throw new NotFoundException('No such stream');
    const dto = toStreamDto(stream);
    return stream.creatorId === viewerId
      ? { ...dto, streamKey: stream.streamKey, ingestPath: ingestPath(stream.streamKey) }
      : dto;
  }

  findByKey(streamKey: string): Promise<LiveStream | null> {
    return this.prisma.liveStream.findUnique({ where: { streamKey } });
  }

  /** Streams still marked connected/live although no instance holds their publisher lease. */
  orphanedBroadcasts(provider: string): Promise<PublishedStream[]> {
    return this.prisma.$queryRaw<PublishedStream[]>`
      SELECT s.id, s.provider_stream_id AS "providerStreamId", s.stream_key AS "streamKey", s.playback_id AS "playbackId"
      FROM live_streams s LEFT JOIN stream_leases l ON l.live_stream_id = s.id AND l.expires_at > now()
      WHERE s.provider = ${provider} AND s.status IN ('CONNECTED', 'ACTIVE') AND l.live_stream_id IS NULL`;
  }

  findById(id: string): Promise<LiveStream | null> {
    return this.prisma.liveStream.findUnique({ where: { id } });
  }
}
