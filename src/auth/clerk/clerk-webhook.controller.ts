import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { Public } from '../../common/public.decorator';
import type { WebhookReceipt } from '../../webhooks/webhook-inbox.service';
import { WebhookReceiver } from '../../webhooks/webhook-receiver.service';

/** Clerk's user webhooks (Svix-signed): keeps our User rows in step with Clerk. */
@ApiTags('webhooks')
@Controller('webhooks')
export class ClerkWebhookController {
  constructor(private readonly webhooks: WebhookReceiver) {}

  @Public()
  @Post('clerk')
  @HttpCode(200)
  receive(
    @Req() req: RawBodyRequest<Request>,
    @Headers() headers: IncomingHttpHeaders,
  ): Promise<WebhookReceipt> {
    return this.webhooks.accept('clerk', req.rawBody, headers);
  }
}
