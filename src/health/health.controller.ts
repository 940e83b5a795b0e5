import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../common/public.decorator';
import { PrismaService } from '../prisma/prisma.service';
import { MediaStorage } from '../storage/media-storage';
import { FfmpegProbe } from './ffmpeg.probe';

const DB_TIMEOUT_MS = 2000;

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly ffmpeg: FfmpegProbe,
    private readonly media: MediaStorage,
  ) {}

  /** 200 when the database answers and ffmpeg is found; 503 otherwise (Terminus' shape). */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      async () => {
        const i = this.indicator.check('database');
        try {
          await Promise.race([
            this.prisma.ping(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), DB_TIMEOUT_MS).unref()),
          ]);
          return i.up({ embedded: this.prisma.database.embedded });
        } catch (e) {
          return i.down({ message: (e as Error).message.split('\n')[0] });
        }
      },
      async () => {
        const i = this.indicator.check('ffmpeg');
        const version = await this.ffmpeg.get();
        return version ? i.up({ version }) : i.down({ message: 'ffmpeg not found (FFMPEG_PATH)' });
      },
      async () => {
        // The local provider writes live HLS and recordings there: a full disk must not go unnoticed.
        const i = this.indicator.check('media');
        try {
          const space = await this.media.space();
          if (!this.media.inUse || (await this.media.hasRoom(space)))
            return i.up({ ...space, inUse: this.media.inUse });
          return i.down({ ...space, message: 'DATA_DIR/media is nearly full (LOCAL_MIN_FREE_MB)' });
        } catch (e) {
          return i.down({ message: `cannot read DATA_DIR/media: ${(e as Error).message.split('\n')[0]}` });
        }
      },
    ]);
  }
}
