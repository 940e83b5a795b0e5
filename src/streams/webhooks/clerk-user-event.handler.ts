import { Injectable } from '@nestjs/common';
import { AuthService } from '../../auth/auth.service';
import { planClerkEvent } from './clerk-user-event';
import type { HandleOutcome, WebhookHandler } from './webhook-handler';
import type { InboxEvent } from './webhook-event.repository';

/** A stored Clerk event → our User row renamed or deleted (both idempotent). */
@Injectable()
export class ClerkUserEventHandler implements WebhookHandler {
  constructor(private readonly auth: AuthService) {}

  async handle(event: InboxEvent): Promise<HandleOutcome> {
    const plan = planClerkEvent(event.payload);
    switch (plan.kind) {
      case 'ignore':
        return { applied: false, reason: plan.reason };
      case 'update':
        await this.auth.syncExternalUser(plan.externalId, plan.displayName, false);
        return { applied: true };
      case 'delete':
        await this.auth.syncExternalUser(plan.externalId, null, true);
        return { applied: true };
    }
  }
}
