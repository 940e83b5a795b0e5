import { join } from 'node:path';
import { ArgumentsHost, Catch, ExceptionFilter, HttpServer, NotFoundException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';

/** Path prefixes the API owns: never answered with the SPA's index.html. */
export const API_PREFIXES = [
  'auth',
  'users',
  'creators',
  'posts',
  'stream',
  'streams',
  'room',
  'webhooks',
  'health',
  'metrics',
  'docs',
  'app-config',
  'media',
];
const API_PATH = new RegExp(`^/(${API_PREFIXES.join('|')})(/|$)`);

/**
 * Client-side routes of the SPA (/dashboard, /c/<handle>, …) are unknown to the API: a browser's GET
 * that would be a 404 gets index.html instead. API paths keep their JSON 404s, and every other error
 * keeps Nest's shape (unlike ServeStaticModule's error hook, which turned body-parser 400/413s on API
 * routes into 404s).
 */
@Catch(NotFoundException)
export class SpaFallbackFilter extends BaseExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly webDistDir: string,
    httpAdapter: HttpServer,
  ) {
    super(httpAdapter);
  }

  override catch(exception: NotFoundException, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const wantsPage =
      (req.method === 'GET' || req.method === 'HEAD') &&
      !API_PATH.test(req.path) &&
      req.accepts(['html', 'json']) === 'html';
    if (!wantsPage || res.headersSent) return super.catch(exception, host);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(this.webDistDir, 'index.html'), (err) => {
      if (err && !res.headersSent) super.catch(exception, host);
    });
  }
}
