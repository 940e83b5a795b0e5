import {
  BadRequestException,
  Inject,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import Mux from '@mux/mux-node';
import type { IncomingHttpHeaders } from 'node:http';
import { APP_CONFIG } from '../../config/app-config.module';
import type { AppConfig } from '../../config/app-config';
import { MuxEvent, parseMuxEvent } from './mux-event';
import { isTooFarInFuture, signatureTimestamp } from './mux-signature';
import { UnstorableEventError } from './webhook-event.repository';
import { WebhookHandlingError, WebhookInbox, WebhookReceipt } from './webhook-inbox.service';
import { WebhookStats } from './webhook-stats.service';

/**
 * POST /webhooks/mux: the raw body verified by the real Mux client (HMAC, at most 300 s old) and by
 * us (at most `webhookMaxSkewSec` in the future), then stored in the inbox and handled.
 *   401  missing, malformed or wrong signature; too old; too far in the future
 *   400  a validly signed body that is not JSON or not a Mux event, or that PostgreSQL cannot store
 *        (a NUL character): nothing is written
 *   404  local media provider (no Mux configured)
 *   503  could not store or handle it now: Mux retries, and so does our schedule
 */
@Injectable()
export class MuxWebhookService {
  /** One client for the app's life: unwrap() needs no network. */
  private readonly mux: Mux | null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inbox: WebhookInbox,
    private readonly stats: WebhookStats,
  ) {
    this.mux = config.mux
      ? new Mux({
          tokenId: config.mux.tokenId,
          tokenSecret: config.mux.tokenSecret,
          webhookSecret: config.mux.webhookSigningSecret,
          baseURL: config.muxBaseUrl,
        })
      : null;
  }

  async receive(rawBody: Buffer | undefined, headers: IncomingHttpHeaders): Promise<WebhookReceipt> {
    if (!this.mux || !this.config.mux) throw new NotFoundException('Cannot POST /webhooks/mux');
    let verified: { event: MuxEvent; body: unknown; text: string };
    try {
      verified = await this.verify(this.mux, this.config.mux.webhookSigningSecret, rawBody, headers);
    } catch (e) {
      this.stats.record('mux', 'refused');
      throw e;
    }
    const { event, body, text } = verified;
    try {
      const result = await this.inbox.receive(
        {
          id: event.id,
          source: 'mux',
          type: event.type,
          objectId: event.objectId,
          rawPayload: text,
          eventCreatedAt: event.createdAt,
        },
        body,
      );
      return { id: event.id, result };
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

  private async verify(
    mux: Mux,
    secret: string,
    rawBody: Buffer | undefined,
    headers: IncomingHttpHeaders,
  ): Promise<{ event: MuxEvent; body: unknown; text: string }> {
    if (!rawBody) throw new BadRequestException('Send the event as JSON (Content-Type: application/json)');
    const text = rawBody.toString('utf8');
    let body: unknown;
    try {
      body = await mux.webhooks.unwrap(text, headers, secret);
    } catch (e) {
      if (e instanceof SyntaxError) throw new BadRequestException('The signed body is not valid JSON');
      throw new UnauthorizedException(`Mux signature refused: ${(e as Error).message}`);
    }
    const t = signatureTimestamp(headers['mux-signature']);
    if (t === null) throw new UnauthorizedException('Mux signature refused: t is not a Unix time in seconds');
    if (isTooFarInFuture(t, Math.floor(Date.now() / 1000), this.config.webhookMaxSkewSec)) {
      throw new UnauthorizedException('Mux signature refused: its timestamp is too far in the future');
    }
    const parsed = parseMuxEvent(body);
    if (!parsed.ok) throw new BadRequestException(`Not a Mux event: ${parsed.problem}`);
    return { event: parsed.event, body, text };
  }
}
