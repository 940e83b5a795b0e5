import type { InboxEvent } from './webhook-event.repository';

/** What handling an event did: applied a change, or stored it and changed nothing (with why). */
export type HandleOutcome = { applied: true } | { applied: false; reason: string };

/**
 * Handles one stored webhook event. Must be safe to run again for the same event (a retry after a
 * failure part-way, or two instances handling one row): our handlers apply state by event time and
 * create VOD posts once per asset, so a second run changes nothing.
 */
export interface WebhookHandler {
  handle(event: InboxEvent): Promise<HandleOutcome>;
}
