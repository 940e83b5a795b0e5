import { Injectable } from '@nestjs/common';
import { AuthService } from '../auth.service';
import { planClerkEvent } from './clerk-user-event';
import type { HandleOutcome, WebhookHandler } from '../../webhooks/webhook-source';
import { WebhookEventRepository, type InboxEvent } from '../../webhooks/webhook-event.repository';

/** Events that set a user's state: a rename older than one of them is stale. */
const USER_STATE_EVENTS = ['user.updated', 'user.deleted'] as const;

/**
 * A stored Clerk event → our User row renamed or deleted (both idempotent). Svix delivers out of
 * order and retries late, so a rename is applied only when the inbox holds no later user.updated or
 * user.deleted for the same user: an older rename never undoes a newer one.
 */
@Injectable()
export class ClerkUserEventHandler implements WebhookHandler {
  constructor(
    private readonly auth: AuthService,
    private readonly events: WebhookEventRepository,
  ) {}

  async handle(event: InboxEvent): Promise<HandleOutcome> {
    const plan = planClerkEvent(event.payload);
    switch (plan.kind) {
      case 'ignore':
        return { applied: false, reason: plan.reason };
      case 'update':
        if (await this.events.hasLater(event, plan.externalId, USER_STATE_EVENTS)) {
          return { applied: false, reason: `a later event about user ${plan.externalId} supersedes it` };
        }
        await this.auth.syncExternalUser(plan.externalId, plan.displayName, false);
        return { applied: true };
      case 'delete':
        await this.auth.syncExternalUser(plan.externalId, null, true);
        return { applied: true };
    }
  }
}
