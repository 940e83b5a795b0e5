import { createHash, timingSafeEqual } from 'node:crypto';
import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  OnModuleInit,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Who may scrape /metrics (issue 16 item 9): with METRICS_TOKEN, only `Authorization: Bearer <token>`
 * (compared in constant time); without it, everyone outside production and nobody in production (the
 * route answers 404 as if it did not exist).
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate, OnModuleInit {
  private readonly logger = new Logger('Metrics');
  private readonly expected: Buffer | null;
  private readonly off: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.metricsToken === null ? null : digest(config.metricsToken);
    this.off = config.metricsToken === null && config.nodeEnv === 'production';
  }

  onModuleInit(): void {
    if (this.off) this.logger.warn('GET /metrics is off in production until METRICS_TOKEN is set');
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (this.off) throw new NotFoundException(`Cannot ${req.method} ${req.path}`);
    if (!this.expected) return true;
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !timingSafeEqual(digest(token), this.expected)) {
      throw new UnauthorizedException('Metrics need Authorization: Bearer <METRICS_TOKEN>');
    }
    return true;
  }
}
