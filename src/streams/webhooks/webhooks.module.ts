import { Module } from '@nestjs/common';
import { StreamsModule } from '../streams.module';
import { ClerkUserEventHandler } from './clerk-user-event.handler';
import { ClerkWebhookService } from './clerk-webhook.service';
import { MuxEventHandler } from './mux-event.handler';
import { MuxWebhookController } from './mux-webhook.controller';
import { MuxWebhookService } from './mux-webhook.service';
import { WebhookEventRepository } from './webhook-event.repository';
import { WebhookInbox } from './webhook-inbox.service';
import { WebhookRetryScheduler } from './webhook-retry.scheduler';
import { WebhookStats } from './webhook-stats.service';

/**
 * Webhooks from Mux (live stream state, recordings) and Clerk (users): verified, stored in one inbox
 * (webhook_events) by event id, handled once, retried when handling fails. The Clerk route itself is
 * AuthModule's; it uses ClerkWebhookService from here.
 */
@Module({
  imports: [StreamsModule],
  controllers: [MuxWebhookController],
  providers: [
    WebhookStats,
    WebhookEventRepository,
    WebhookInbox,
    WebhookRetryScheduler,
    MuxEventHandler,
    ClerkUserEventHandler,
    MuxWebhookService,
    ClerkWebhookService,
  ],
  exports: [WebhookStats, ClerkWebhookService],
})
export class WebhooksModule {}
