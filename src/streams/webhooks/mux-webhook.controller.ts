import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { Public } from '../../common/public.decorator';
import { MuxWebhookService } from './mux-webhook.service';
import type { WebhookReceipt } from './webhook-inbox.service';

/** Mux's webhook deliveries; authenticated by their signature, not by a session. */
@ApiTags('webhooks')
@Controller('webhooks')
export class MuxWebhookController {
  constructor(private readonly webhooks: MuxWebhookService) {}

  @Public()
  @Post('mux')
  @HttpCode(200)
  receive(
    @Req() req: RawBodyRequest<Request>,
    @Headers() headers: IncomingHttpHeaders,
  ): Promise<WebhookReceipt> {
    return this.webhooks.receive(req.rawBody, headers);
  }
}
