import { BeforeApplicationShutdown, Module } from '@nestjs/common';
import type Mux from '@mux/mux-node';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { IngestGateway } from './ingest/ingest.gateway';
import { IngestAdmission } from './ingest/ingest-admission.service';
import { IngestPipelines } from './ingest/ingest-pipelines.service';
import { IngestService } from './ingest/ingest.service';
import { IngestSessions } from './ingest/ingest-sessions';
import { SessionStateFanout } from './ingest/session-state-fanout.service';
import { PublisherLeaseService } from './ingest/publisher-lease.service';
import { BroadcastLifecycle } from './ingest/broadcast-lifecycle.service';
import { StreamStateBus } from './ingest/stream-state-bus';
import { LiveStateService } from './live-state.service';
import { FfmpegPipelineFactory } from './pipeline/ffmpeg-pipeline.factory';
import { MuxEventHandler } from './mux/mux-event.handler';
import { MUX_CLIENT, muxClientProvider } from './mux/mux-client';
import { MuxWebhookController } from './mux/mux-webhook.controller';
import { MuxWebhookSource } from './mux/mux-webhook.source';
import { MuxSimulcastService } from './mux/mux-simulcast.service';
import { MuxDownloadsService } from './mux/mux-downloads.service';
import { MuxSimulcastStatesService } from './mux/mux-simulcast-states.service';
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
    IngestSessions,
    IngestPipelines,
    IngestAdmission,
    SessionStateFanout,
    IngestService,
    IngestGateway,
    RestreamPort,
    muxClientProvider,
    MuxEventHandler,
    MuxWebhookSource,
    MuxSimulcastService,
    MuxDownloadsService,
    MuxSimulcastStatesService,
    {
      provide: StreamProvider,
      inject: [APP_CONFIG, LiveStateService, MUX_CLIENT],
      useFactory: (c: AppConfig, live: LiveStateService, mux: Mux | null): StreamProvider =>
        mux ? new MuxProvider(mux, c) : new LocalProvider(c, live),
    },
  ],
  exports: [LiveStateService, StreamsService, IngestService, RestreamPort, MuxSimulcastService],
})
export class StreamsModule implements BeforeApplicationShutdown {
  constructor(private readonly ingest: IngestService) {}

  /** SIGTERM / app.close(): publishers get 1001 and FFmpeg flushes before the database goes away. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.ingest.closeAll();
  }
}
