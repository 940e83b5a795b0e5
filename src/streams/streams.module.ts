import { BeforeApplicationShutdown, Module } from '@nestjs/common';
import type Mux from '@mux/mux-node';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { IngestGateway } from './ingest/ingest.gateway';
import { IngestService } from './ingest/ingest.service';
import { PublisherLeaseService } from './ingest/publisher-lease.service';
import { BroadcastLifecycle } from './ingest/broadcast-lifecycle.service';
import { StreamStateBus } from './ingest/stream-state-bus';
import { LiveStateService } from './live-state.service';
import { FfmpegPipelineFactory } from './pipeline/ffmpeg-pipeline';
import { MuxEventHandler } from './mux/mux-event.handler';
import { MUX_CLIENT, muxClientProvider } from './mux/mux-client';
import { MuxWebhookController } from './mux/mux-webhook.controller';
import { MuxWebhookSource } from './mux/mux-webhook.source';
import { LocalProvider } from './providers/local.provider';
import { MuxProvider } from './providers/mux.provider';
import { StreamProvider } from './providers/stream-provider';
import { StreamsController } from './streams.controller';
import { StreamsService } from './streams.service';
import { RestreamPort } from './restream-port';
import { WebhooksModule } from '../webhooks/webhooks.module';

/** Live streams: creation, the ingest socket, the FFmpeg pipeline, the providers and Mux's webhooks. */
@Module({
  imports: [WebhooksModule],
  controllers: [StreamsController, MuxWebhookController],
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
    muxClientProvider,
    MuxEventHandler,
    MuxWebhookSource,
    {
      provide: StreamProvider,
      inject: [APP_CONFIG, LiveStateService, MUX_CLIENT],
      useFactory: (c: AppConfig, live: LiveStateService, mux: Mux | null): StreamProvider =>
        mux ? new MuxProvider(mux, c) : new LocalProvider(c, live),
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
