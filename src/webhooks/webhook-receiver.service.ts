import {
  BadRequestException,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { UnstorableEventError } from './webhook-event.repository';
import { WebhookHandlingError, WebhookInbox, WebhookReceipt } from './webhook-inbox.service';
import { WebhookBodyError, WebhookSignatureError, type VerifiedWebhook } from './webhook-source';
import { WebhookSources } from './webhook-sources';
import { WebhookStats } from './webhook-stats.service';

/**
 * One delivery to POST /webhooks/<source>, whatever the source: verified by the source's verifier,
 * stored in the inbox by event id, handled. The answers are the same for every source:
 *   200  { id, result: 'processed' | 'duplicate' }
 *   401  the source refused the signature (missing, malformed, wrong, too old, too far in the future)
 *   400  no JSON body; a signed body that is not an event of the source; or one PostgreSQL cannot
 *        store (a NUL character): nothing is written
 *   404  no such source, or it is not configured here
 *   503  could not store or handle it now: the sender retries, and so does our schedule
 */
@Injectable()
export class WebhookReceiver {
  constructor(
    private readonly sources: WebhookSources,
    private readonly inbox: WebhookInbox,
    private readonly stats: WebhookStats,
  ) {}

  async accept(
    name: string,
    rawBody: Buffer | undefined,
    headers: IncomingHttpHeaders,
  ): Promise<WebhookReceipt> {
    const verify = this.sources.get(name)?.verify;
    if (!verify) throw new NotFoundException(`Cannot POST /webhooks/${name}`);
    let event: VerifiedWebhook;
    let text: string;
    try {
      if (!rawBody) throw new WebhookBodyError('Send the event as JSON (Content-Type: application/json)');
      text = rawBody.toString('utf8');
      event = await verify(text, headers);
    } catch (e) {
      this.stats.record(name, 'refused');
      if (e instanceof WebhookSignatureError) throw new UnauthorizedException(e.message);
      if (e instanceof WebhookBodyError) throw new BadRequestException(e.message);
      throw e;
    }
    const { id, type, objectId, createdAt, payload } = event;
    try {
      const result = await this.inbox.receive(
        { id, source: name, type, objectId, rawPayload: text, eventCreatedAt: createdAt },
        payload,
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
}
