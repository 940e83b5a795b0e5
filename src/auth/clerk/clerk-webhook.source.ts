import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { verifyWebhook } from '@clerk/backend/webhooks';
import type { IncomingHttpHeaders } from 'node:http';
import { APP_CONFIG } from '../../config/app-config.module';
import type { AppConfig } from '../../config/app-config';
import { WebhookBodyError, WebhookSignatureError, type VerifiedWebhook } from '../../webhooks/webhook-source';
import { WebhookSources } from '../../webhooks/webhook-sources';
import { ClerkUserEventHandler } from './clerk-user-event.handler';

const SVIX_HEADERS = ['svix-id', 'svix-timestamp', 'svix-signature'] as const;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

/**
 * Clerk as a webhook source (POST /webhooks/clerk): Svix-signed user events verified by
 * @clerk/backend's verifyWebhook (HMAC over `id.timestamp.body`, timestamp within ±5 minutes), stored
 * by svix-id. Without Clerk or its signing secret the route answers 404.
 */
@Injectable()
export class ClerkWebhookSource implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sources: WebhookSources,
    private readonly handler: ClerkUserEventHandler,
  ) {}

  onModuleInit(): void {
    const secret = this.config.auth.mode === 'clerk' ? this.config.auth.webhookSigningSecret : null;
    this.sources.register({
      name: 'clerk',
      verify: secret ? (text, headers) => verifyClerk(secret, text, headers) : null,
      handler: this.handler,
    });
  }
}

async function verifyClerk(
  secret: string,
  text: string,
  headers: IncomingHttpHeaders,
): Promise<VerifiedWebhook> {
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
    throw new WebhookSignatureError(`Clerk webhook signature refused: ${(e as Error).message}`);
  }
  const id = forwarded.get('svix-id') ?? '';
  const event = verified as Record<string, unknown>;
  if (typeof event.type !== 'string' || !event.type) throw new WebhookBodyError('Not a Clerk event: no type');
  if (typeof event.data !== 'object' || event.data === null) {
    throw new WebhookBodyError('Not a Clerk event: no data object');
  }
  if (id.length > 255) throw new WebhookBodyError('svix-id is too long');
  const ms =
    typeof event.timestamp === 'number' ? event.timestamp : Number(forwarded.get('svix-timestamp')) * 1000;
  const createdAt = new Date(Number.isFinite(ms) ? ms : Date.now());
  const dataId = (event.data as { id?: unknown }).id;
  const objectId = typeof dataId === 'string' ? dataId : null;
  return { id, type: event.type, objectId, createdAt, payload: event };
}
