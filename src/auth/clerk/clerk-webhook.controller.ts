import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { Public } from '../../common/public.decorator';
import { WebhookReceiver } from '../../webhooks/webhook-receiver.service';
import { ApiErrors } from '../../common/api-error.dto';
import { WebhookReceiptResponse } from '../../webhooks/dto/webhook-receipt.dto';

/** Clerk's user webhooks (Svix-signed): keeps our User rows in step with Clerk. */
@ApiTags('webhooks')
@Controller('webhooks')
export class ClerkWebhookController {
  constructor(private readonly webhooks: WebhookReceiver) {}

  @Public()
  @Post('clerk')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookReceiptResponse })
  @ApiErrors(400, 401, 404, 503)
  receive(
    @Req() req: RawBodyRequest<Request>,
    @Headers() headers: IncomingHttpHeaders,
  ): Promise<WebhookReceiptResponse> {
    return this.webhooks.accept('clerk', req.rawBody, headers);
  }
}
