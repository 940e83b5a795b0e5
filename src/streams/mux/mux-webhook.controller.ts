import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { Public } from '../../common/public.decorator';
import { WebhookReceiver } from '../../webhooks/webhook-receiver.service';
import { ApiErrors } from '../../common/api-error.dto';
import { WebhookReceiptResponse } from '../../webhooks/dto/webhook-receipt.dto';

/** Mux's webhook deliveries; authenticated by their signature, not by a session. */
@ApiTags('webhooks')
@Controller('webhooks')
export class MuxWebhookController {
  constructor(private readonly webhooks: WebhookReceiver) {}

  @Public()
  @Post('mux')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookReceiptResponse })
  @ApiErrors(400, 401, 404, 503)
  receive(
    @Req() req: RawBodyRequest<Request>,
    @Headers() headers: IncomingHttpHeaders,
  ): Promise<WebhookReceiptResponse> {
    return this.webhooks.accept('mux', req.rawBody, headers);
  }
}
