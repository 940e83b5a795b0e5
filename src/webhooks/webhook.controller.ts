import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req, type Type } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiErrors } from '../common/api-error.dto';
import { Public } from '../common/public.decorator';
import { WebhookReceiptResponse } from './dto/webhook-receipt.dto';
import { WebhookReceiver } from './webhook-receiver.service';

/**
 * The route POST /webhooks/<source> for one registered source, authenticated by the delivery's
 * signature rather than a session. The feature that owns the source mounts it in its module.
 */
export function webhookController(source: string): Type<unknown> {
  @ApiTags('webhooks')
  @Controller('webhooks')
  class WebhookController {
    constructor(readonly webhooks: WebhookReceiver) {}

    @Public()
    @Post(source)
    @HttpCode(200)
    @ApiOkResponse({ type: WebhookReceiptResponse })
    @ApiErrors(400, 401, 404, 503)
    receive(
      @Req() req: RawBodyRequest<Request>,
      @Headers() headers: IncomingHttpHeaders,
    ): Promise<WebhookReceiptResponse> {
      return this.webhooks.accept(source, req.rawBody, headers);
    }
  }
  const name = `${source[0]?.toUpperCase() ?? ''}${source.slice(1)}WebhookController`;
  Object.defineProperty(WebhookController, 'name', { value: name });
  return WebhookController;
}
