import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { FfmpegProbe } from './ffmpeg.probe';
import { HealthController } from './health.controller';

@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [FfmpegProbe],
  exports: [FfmpegProbe],
})
export class HealthModule {}
