import type { IncomingHttpHeaders } from 'node:http';
import type { InboxEvent } from './webhook-event.repository';

/** What handling an event did: applied a change, or stored it and changed nothing (with why). */
export type HandleOutcome = { applied: true } | { applied: false; reason: string };

/**
 * Handles one stored webhook event. Must be safe to run again for the same event (a retry after a
 * failure part-way, or two instances handling one row): handlers apply state by event time and create
 * what they create once per object, so a second run changes nothing.
 */
export interface WebhookHandler {
  handle(event: InboxEvent): Promise<HandleOutcome>;
}

/** A delivery whose signature and shape its source accepted: stored by `id`, then handled. */
export interface VerifiedWebhook {
  id: string;
  type: string;
  /** The object the event is about (a live stream, a user): lets handlers find later events. */
  objectId: string | null;
  /** The sender's time of the event. */
  createdAt: Date;
  /** The parsed body handed to the handler. */
  payload: unknown;
}

/** The signature is missing, malformed, wrong, too old or too far in the future: 401. */
export class WebhookSignatureError extends Error {
  override readonly name = 'WebhookSignatureError';
}

/** The signed body is not an event of this source (not JSON, a field missing, too long): 400. */
export class WebhookBodyError extends Error {
  override readonly name = 'WebhookBodyError';
}

/**
 * Checks a delivery's raw text and headers; throws WebhookSignatureError or WebhookBodyError.
 * Never needs the network.
 */
export type WebhookVerifier = (text: string, headers: IncomingHttpHeaders) => Promise<VerifiedWebhook>;

/**
 * One sender of webhooks (Mux, Clerk, …), registered with WebhookSources by the feature that owns it.
 * `verify` is null while the source is not configured here: its deliveries are answered 404, and
 * events it stored earlier are still handled.
 */
export interface WebhookSource {
  readonly name: string;
  readonly verify: WebhookVerifier | null;
  readonly handler: WebhookHandler;
}
