import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import Mux from '@mux/mux-node';
import type { IncomingHttpHeaders } from 'node:http';
import { APP_CONFIG } from '../../config/app-config.module';
import type { AppConfig } from '../../config/app-config';
import { WebhookBodyError, WebhookSignatureError, type VerifiedWebhook } from '../../webhooks/webhook-source';
import { WebhookSources } from '../../webhooks/webhook-sources';
import { MUX_CLIENT } from './mux-client';
import { parseMuxEvent } from './mux-event';
import { MuxEventHandler } from './mux-event.handler';
import { isTooFarInFuture, signatureTimestamp } from './mux-signature';

/**
 * Mux as a webhook source (POST /webhooks/mux): the raw body verified by the app's Mux client (HMAC,
 * at most 300 s old) and by us (at most `webhookMaxSkewSec` in the future), then parsed as a Mux
 * event. Without Mux configured the route answers 404; stored Mux events are still handled.
 */
@Injectable()
export class MuxWebhookSource implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MUX_CLIENT) private readonly mux: Mux | null,
    private readonly sources: WebhookSources,
    private readonly handler: MuxEventHandler,
  ) {}

  onModuleInit(): void {
    const { mux } = this;
    const secret = this.config.mux?.webhookSigningSecret;
    this.sources.register({
      name: 'mux',
      verify: mux && secret ? (text, headers) => this.verify(mux, secret, text, headers) : null,
      handler: this.handler,
    });
  }

  private async verify(
    mux: Mux,
    secret: string,
    text: string,
    headers: IncomingHttpHeaders,
  ): Promise<VerifiedWebhook> {
    let body: unknown;
    try {
      body = await mux.webhooks.unwrap(text, headers, secret);
    } catch (e) {
      if (e instanceof SyntaxError) throw new WebhookBodyError('The signed body is not valid JSON');
      throw new WebhookSignatureError(`Mux signature refused: ${(e as Error).message}`);
    }
    const t = signatureTimestamp(headers['mux-signature']);
    if (t === null) throw new WebhookSignatureError('Mux signature refused: t is not a Unix time in seconds');
    if (isTooFarInFuture(t, Math.floor(Date.now() / 1000), this.config.webhookMaxSkewSec)) {
      throw new WebhookSignatureError('Mux signature refused: its timestamp is too far in the future');
    }
    const parsed = parseMuxEvent(body);
    if (!parsed.ok) throw new WebhookBodyError(`Not a Mux event: ${parsed.problem}`);
    const { id, type, objectId, createdAt } = parsed.event;
    return { id, type, objectId, createdAt, payload: body };
  }
}
