import { Module } from '@nestjs/common';
import { WebhookEventRepository } from './webhook-event.repository';
import { WebhookInbox } from './webhook-inbox.service';
import { WebhookReceiver } from './webhook-receiver.service';
import { WebhookRetryScheduler } from './webhook-retry.scheduler';
import { WebhookSources } from './webhook-sources';
import { WebhookStats } from './webhook-stats.service';

/**
 * Webhooks, whatever their sender: one inbox (webhook_events) where every verified event is stored by
 * id before it is handled, handled once, retried when handling fails; one accept() for every route.
 * Knows no sender: features register theirs with WebhookSources (Mux in streams/mux, Clerk in
 * auth/clerk) and own their routes, verification and handlers. A lower layer: imports no feature.
 */
@Module({
  providers: [
    WebhookStats,
    WebhookSources,
    WebhookEventRepository,
    WebhookInbox,
    WebhookReceiver,
    WebhookRetryScheduler,
  ],
  exports: [WebhookStats, WebhookSources, WebhookEventRepository, WebhookReceiver],
})
export class WebhooksModule {}
