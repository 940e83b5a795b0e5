import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';
import { MuxSimulcastService } from '../streams/mux/mux-simulcast.service';
import type { CreateRestreamTargetDto, RestreamTargetDto } from './dto/restream-target.dto';
import { MAX_RESTREAM_TARGETS } from './dto/restream-target.dto';
import { SecretBoxProvider } from './secret-box.provider';

const PUBLIC = { id: true, name: true, url: true, keyHint: true, enabled: true, createdAt: true } as const;

/** An enabled target with its key opened: for the media side only, never for a response or a log. */
export interface RestreamDestination {
  id: string;
  name: string;
  url: string;
  streamKey: string;
}

/** A creator's restream targets; keys are sealed before they reach the database. */
@Injectable()
export class RestreamTargetsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly box: SecretBoxProvider,
    private readonly simulcast: MuxSimulcastService,
  ) {}

  list(userId: string): Promise<RestreamTargetDto[]> {
    return this.prisma.restreamTarget.findMany({
      where: { userId },
      orderBy: { createdAt: 'asc' },
      select: PUBLIC,
    });
  }

  async create(userId: string, dto: CreateRestreamTargetDto): Promise<RestreamTargetDto> {
    const sealed = this.box.get().seal(dto.streamKey);
    const created = await this.prisma.$transaction(async (tx) => {
      // One creator's concurrent creates queue here, so the bound holds.
      await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
      const count = await tx.restreamTarget.count({ where: { userId } });
      if (count >= MAX_RESTREAM_TARGETS)
        throw new ConflictException(`At most ${MAX_RESTREAM_TARGETS} restream targets: delete one first`);
      return tx.restreamTarget.create({
        data: {
          userId,
          name: dto.name.trim(),
          url: dto.url.replace(/\/+$/, ''),
          keyCiphertext: sealed.ciphertext,
          keyIv: sealed.iv,
          keyTag: sealed.tag,
          keyHint: dto.streamKey.slice(-4),
        },
        select: PUBLIC,
      });
    });
    await this.simulcast.targetsChanged(userId);
    return created;
  }

  async setEnabled(userId: string, id: string, enabled: boolean): Promise<RestreamTargetDto> {
    const { count } = await this.prisma.restreamTarget.updateMany({
      where: { id, userId },
      data: { enabled },
    });
    if (count === 0) throw new NotFoundException('No such restream target');
    await this.simulcast.targetsChanged(userId);
    return this.prisma.restreamTarget.findUniqueOrThrow({ where: { id }, select: PUBLIC });
  }

  async delete(userId: string, id: string): Promise<void> {
    const { count } = await this.prisma.restreamTarget.deleteMany({ where: { id, userId } });
    if (count === 0) throw new NotFoundException('No such restream target');
    await this.simulcast.targetsChanged(userId);
  }

  /** The enabled targets with their keys, oldest first. A key that no longer opens is skipped. */
  async destinations(userId: string): Promise<RestreamDestination[]> {
    const rows = await this.prisma.restreamTarget.findMany({
      where: { userId, enabled: true },
      orderBy: { createdAt: 'asc' },
    });
    const box = this.box.get();
    const out: RestreamDestination[] = [];
    for (const r of rows) {
      try {
        const streamKey = box.open({ ciphertext: r.keyCiphertext, iv: r.keyIv, tag: r.keyTag });
        out.push({ id: r.id, name: r.name, url: r.url, streamKey });
      } catch {
        // sealed with another SECRETS_KEY: the creator must enter the key again
      }
    }
    return out;
  }
}
