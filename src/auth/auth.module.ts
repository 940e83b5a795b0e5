import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { ClerkUserEventHandler } from './clerk/clerk-user-event.handler';
import { ClerkWebhookController } from './clerk/clerk-webhook.controller';
import { ClerkWebhookSource } from './clerk/clerk-webhook.source';
import { WebhooksModule } from '../webhooks/webhooks.module';

@Global()
@Module({
  imports: [
    WebhooksModule,
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => [{ ttl: 60_000, limit: c.authRateLimitPerMinute }],
    }),
  ],
  controllers: [AuthController, ClerkWebhookController],
  providers: [
    AuthService,
    { provide: APP_GUARD, useClass: AuthGuard },
    ClerkUserEventHandler,
    ClerkWebhookSource,
  ],
  exports: [AuthService],
})
export class AuthModule {}
