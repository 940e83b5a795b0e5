import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { Public } from '../../common/public.decorator';
import type { WebhookReceipt } from '../../webhooks/webhook-inbox.service';
import { WebhookReceiver } from '../../webhooks/webhook-receiver.service';

/** Mux's webhook deliveries; authenticated by their signature, not by a session. */
@ApiTags('webhooks')
@Controller('webhooks')
export class MuxWebhookController {
  constructor(private readonly webhooks: WebhookReceiver) {}

  @Public()
  @Post('mux')
  @HttpCode(200)
  receive(
    @Req() req: RawBodyRequest<Request>,
    @Headers() headers: IncomingHttpHeaders,
  ): Promise<WebhookReceipt> {
    return this.webhooks.accept('mux', req.rawBody, headers);
  }
}
