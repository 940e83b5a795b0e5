import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable, tap } from 'rxjs';
import { MetricsService } from './metrics.service';

/** Records every HTTP request's latency under its route pattern (not the raw URL: no ids or keys). */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: MetricsService) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const start = process.hrtime.bigint();
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const done = (status: number) => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.metrics.httpDuration.observe({ method: req.method, route, status: String(status) }, seconds);
    };
    return next.handle().pipe(
      tap({
        next: () => done(res.statusCode),
        error: (e: { getStatus?: () => number }) =>
          done(typeof e.getStatus === 'function' ? e.getStatus() : 500),
      }),
    );
  }
}
