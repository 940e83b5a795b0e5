import { BeforeApplicationShutdown, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { IngestGateway } from './ingest/ingest.gateway';
import { IngestService } from './ingest/ingest.service';
import { PublisherLeaseService } from './ingest/publisher-lease.service';
import { BroadcastLifecycle } from './ingest/broadcast-lifecycle.service';
import { StreamStateBus } from './ingest/stream-state-bus';
import { LiveStateService } from './live-state.service';
import { FfmpegPipelineFactory } from './pipeline/ffmpeg-pipeline';
import { LocalProvider } from './providers/local.provider';
import { MuxProvider } from './providers/mux.provider';
import { StreamProvider } from './providers/stream-provider';
import { StreamsController } from './streams.controller';
import { StreamsService } from './streams.service';
import { RestreamPort } from './restream-port';

/** Live streams: creation, the ingest socket, the FFmpeg pipeline and the providers. */
@Module({
  controllers: [StreamsController],
  providers: [
    StreamsService,
    LiveStateService,
    FfmpegPipelineFactory,
    PublisherLeaseService,
    BroadcastLifecycle,
    StreamStateBus,
    IngestService,
    IngestGateway,
    RestreamPort,
    {
      provide: StreamProvider,
      inject: [APP_CONFIG, LiveStateService],
      useFactory: (c: AppConfig, live: LiveStateService): StreamProvider =>
        c.mux ? new MuxProvider(c.mux, c) : new LocalProvider(c, live),
    },
  ],
  exports: [LiveStateService, StreamsService, IngestService, RestreamPort],
})
export class StreamsModule implements BeforeApplicationShutdown {
  constructor(private readonly ingest: IngestService) {}

  /** SIGTERM / app.close(): publishers get 1001 and FFmpeg flushes before the database goes away. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.ingest.closeAll();
  }
}
