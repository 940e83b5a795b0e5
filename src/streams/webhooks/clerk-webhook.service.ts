import {
  BadRequestException,
  Inject,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { verifyWebhook } from '@clerk/backend/webhooks';
import type { IncomingHttpHeaders } from 'node:http';
import { APP_CONFIG } from '../../config/app-config.module';
import type { AppConfig } from '../../config/app-config';
import { UnstorableEventError } from './webhook-event.repository';
import { WebhookHandlingError, WebhookInbox, WebhookReceipt } from './webhook-inbox.service';
import { WebhookStats } from './webhook-stats.service';

const SVIX_HEADERS = ['svix-id', 'svix-timestamp', 'svix-signature'] as const;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

/**
 * POST /webhooks/clerk: Svix-signed user events verified by @clerk/backend's verifyWebhook (HMAC
 * over `id.timestamp.body`, timestamp within ±5 minutes), stored in the inbox by svix-id, handled.
 *   401  missing or wrong signature headers, a stale or future timestamp, an unparsable signed body
 *   400  a verified event without a type or data object, or one PostgreSQL cannot store
 *   404  Clerk or its webhook signing secret is not configured
 *   503  could not store or handle it now: Clerk (Svix) retries, and so does our schedule
 */
@Injectable()
export class ClerkWebhookService {
  private readonly secret: string | null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly inbox: WebhookInbox,
    private readonly stats: WebhookStats,
  ) {
    this.secret = config.auth.mode === 'clerk' ? config.auth.webhookSigningSecret : null;
  }

  async receive(rawBody: Buffer | undefined, headers: IncomingHttpHeaders): Promise<WebhookReceipt> {
    if (!this.secret) throw new NotFoundException('Cannot POST /webhooks/clerk');
    let verified: { id: string; type: string; createdAt: Date; body: Record<string, unknown>; text: string };
    try {
      verified = await this.verify(this.secret, rawBody, headers);
    } catch (e) {
      this.stats.record('clerk', 'refused');
      throw e;
    }
    const { id, type, createdAt, body, text } = verified;
    const objectId =
      typeof (body.data as { id?: unknown }).id === 'string' ? (body.data as { id: string }).id : null;
    try {
      const result = await this.inbox.receive(
        { id, source: 'clerk', type, objectId, rawPayload: text, eventCreatedAt: createdAt },
        body,
      );
      return { id, result };
    } catch (e) {
      if (e instanceof UnstorableEventError)
        throw new BadRequestException(
          'The event cannot be stored: it holds data the database refuses (such as a NUL character)',
        );
      throw new ServiceUnavailableException(
        e instanceof WebhookHandlingError
          ? 'The event was stored but could not be handled now; it will be retried'
          : 'The event could not be stored now; deliver it again later',
      );
    }
  }

  private async verify(secret: string, rawBody: Buffer | undefined, headers: IncomingHttpHeaders) {
    if (!rawBody) throw new BadRequestException('Send the event as JSON (Content-Type: application/json)');
    const text = rawBody.toString('utf8');
    const forwarded = new Headers();
    for (const name of SVIX_HEADERS) {
      const value = header(headers, name);
      if (value !== undefined) forwarded.set(name, value);
    }
    let verified: unknown;
    try {
      // verifyWebhook reads a Fetch Request: the same bytes and signature headers, nothing else.
      verified = await verifyWebhook(
        new Request('http://localhost/webhooks/clerk', { method: 'POST', headers: forwarded, body: text }),
        { signingSecret: secret },
      );
    } catch (e) {
      throw new UnauthorizedException(`Clerk webhook signature refused: ${(e as Error).message}`);
    }
    const id = forwarded.get('svix-id') ?? '';
    const event = verified as Record<string, unknown>;
    if (typeof event.type !== 'string' || !event.type)
      throw new BadRequestException('Not a Clerk event: no type');
    if (typeof event.data !== 'object' || event.data === null) {
      throw new BadRequestException('Not a Clerk event: no data object');
    }
    if (id.length > 255) throw new BadRequestException('svix-id is too long');
    const ms =
      typeof event.timestamp === 'number' ? event.timestamp : Number(forwarded.get('svix-timestamp')) * 1000;
    const createdAt = new Date(Number.isFinite(ms) ? ms : Date.now());
    return { id, type: event.type, createdAt, body: event, text };
  }
}
