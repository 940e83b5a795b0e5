import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Global,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Module,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';

/** Which per-user budget a write route spends: stream creation, or every other write. */
export type WriteBucket = 'stream-create' | 'writes';

const BUCKET = Symbol('write-limit-bucket');
const STORAGE = Symbol('write-limit-storage');
const WINDOW_MS = 60_000;

/**
 * Per-user limits on write routes (issue 16 item 4): at most STREAM_CREATE_RATE_LIMIT_PER_MINUTE
 * stream creations and WRITE_RATE_LIMIT_PER_MINUTE other writes per user in any minute (a sliding
 * window in @nestjs/throttler's storage), else 429 with Retry-After and nothing written. Keyed by the
 * signed-in user, not the address, so many creators behind one NAT are not limited together.
 */
@Injectable()
export class WriteLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(STORAGE) private readonly storage: ThrottlerStorageService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const bucket = this.reflector.get<WriteBucket | undefined>(BUCKET, context.getHandler()) ?? 'writes';
    // The AuthGuard attached the signed-in user; only its id keys the budget.
    const req = context.switchToHttp().getRequest<Request & { user?: { id: string } }>();
    if (!req.user) return true; // the global AuthGuard has already refused anonymous writes
    const limit =
      bucket === 'stream-create'
        ? this.config.streamCreateRateLimitPerMinute
        : this.config.writeRateLimitPerMinute;
    const r = await this.storage.increment(`${bucket}:${req.user.id}`, WINDOW_MS, limit, 0, bucket);
    if (!r.isBlocked) return true;
    const retryAfter = Math.max(1, r.timeToBlockExpire);
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new HttpException(
      `Too many ${bucket === 'stream-create' ? 'stream creations' : 'changes'}: try again in ${retryAfter} s`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** Marks a write route: it spends the signed-in user's `bucket` budget. */
export const WriteLimited = (bucket: WriteBucket = 'writes') =>
  applyDecorators(SetMetadata(BUCKET, bucket), UseGuards(WriteLimitGuard));

@Global()
@Module({
  providers: [{ provide: STORAGE, useClass: ThrottlerStorageService }, WriteLimitGuard],
  exports: [STORAGE, WriteLimitGuard],
})
export class WriteLimitModule {}
