import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { ClerkWebhookService } from '../streams/webhooks/clerk-webhook.service';
import type { WebhookReceipt } from '../streams/webhooks/webhook-inbox.service';
import { Public } from '../common/public.decorator';

/** Clerk's user webhooks (Svix-signed): keeps our User rows in step with Clerk. */
@ApiTags('webhooks')
@Controller('webhooks')
export class ClerkWebhookController {
  constructor(private readonly webhooks: ClerkWebhookService) {}

  @Public()
  @Post('clerk')
  @HttpCode(200)
  receive(
    @Req() req: RawBodyRequest<Request>,
    @Headers() headers: IncomingHttpHeaders,
  ): Promise<WebhookReceipt> {
    return this.webhooks.receive(req.rawBody, headers);
  }
}
