import {
  BadGatewayException,
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type { LiveStream } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import type { CreateStreamDto } from './dto/create-stream.dto';
import { MuxSimulcastService } from './mux/mux-simulcast.service';
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

/** What the owner sees: the public state, the key and where to publish with it. */
const withKey = (s: LiveStream) => ({
  ...toStreamDto(s),
  streamKey: s.streamKey,
  ingestPath: ingestPath(s.streamKey),
});

/** Advisory lock namespace of stream creation (one lock per creator: hashtext(user id)). */
const CREATE_LOCK = 0x56425a01;
/** A provider call (Mux: up to 3 tries of 15 s) happens inside these transactions. */
const PROVIDER_TX = { maxWait: 10_000, timeout: 60_000 };

@Injectable()
export class StreamsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly provider: StreamProvider,
    private readonly simulcast: MuxSimulcastService,
  ) {}

  /**
   * The creator's live stream, ready to publish to. A creator keeps one reusable stream (and key)
   * until it is ended, as Mux live streams are meant to be used; a new one is provisioned otherwise.
   * Concurrent calls by one creator queue on an advisory lock, so only the first provisions (and the
   * partial unique index "live_streams_one_open_per_creator" backs it up).
   */
  async create(userId: string, dto: CreateStreamDto) {
    const profile = await this.prisma.creatorProfile.findUnique({ where: { userId }, select: { id: true } });
    if (!profile)
      throw new ForbiddenException('Only creators can go live: set up your creator profile first');
    const stream = await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CREATE_LOCK}::int, hashtext(${userId}))`;
      const current = await tx.liveStream.findFirst({
        where: { creatorId: userId, provider: this.provider.name, status: { not: 'ENDED' } },
        orderBy: { createdAt: 'desc' },
      });
      if (current) {
        return dto.title !== undefined
          ? tx.liveStream.update({ where: { id: current.id }, data: { title: dto.title.trim() } })
          : current;
      }
      const provisioned = await this.fromProvider(() => this.provider.provision(dto.title ?? ''));
      return tx.liveStream.create({
        data: {
          creatorId: userId,
          provider: this.provider.name,
          title: dto.title?.trim() ?? '',
          ...provisioned,
        },
      });
    }, PROVIDER_TX);
    // Mux: the creator's restream targets become the stream's simulcast targets before it goes live.
    await this.simulcast.syncIfNeeded({ id: stream.id });
    return withKey(stream);
  }

  /**
   * A new key for the owner's open stream, from the provider (Mux's reset-stream-key): for a key that
   * leaked. Refused while a publisher is live on the stream (stop streaming first).
   */
  async resetKey(userId: string, id: string) {
    const stream = await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM live_streams WHERE id = ${id}::uuid FOR UPDATE`;
      const current = await tx.liveStream.findUnique({ where: { id } });
      if (!current) throw new NotFoundException('No such stream');
      if (current.creatorId !== userId)
        throw new ForbiddenException('Only the creator can reset this stream key');
      if (current.status === 'ENDED')
        throw new ConflictException('This stream has ended: Go Live creates a new one');
      const leases = await tx.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM stream_leases WHERE live_stream_id = ${id}::uuid AND expires_at > now()`;
      if (leases[0]?.n) throw new ConflictException('Stop streaming before resetting the stream key');
      const streamKey = await this.fromProvider(() => this.provider.resetKey(current));
      return tx.liveStream.update({ where: { id }, data: { streamKey } });
    }, PROVIDER_TX);
    return withKey(stream);
  }

  private async fromProvider<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (e instanceof ProviderUnavailableError) throw new BadGatewayException(e.message);
      throw e;
    }
  }

  /** Public state of a stream; the owner also sees its key. */
  async get(id: string, viewerId: string | undefined) {
    const stream = await this.prisma.liveStream.findUnique({ where: { id } });
    if (!stream) throw new NotFoundException('No such stream');
    return stream.creatorId === viewerId ? withKey(stream) : toStreamDto(stream);
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
