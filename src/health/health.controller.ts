import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../common/public.decorator';
import { PrismaService } from '../prisma/prisma.service';
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
    ]);
  }
}
