import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Response } from 'express';
import type { AppConfig } from '../config/app-config';
import { SpaConfigController } from './spa-config.controller';
import { SpaFallbackFilter } from './spa-fallback.filter';

/** The SPA's runtime settings (GET /app-config). The built files are mounted by `mountSpa`. */
@Module({ controllers: [SpaConfigController] })
export class SpaModule {}

/**
 * Serves the built React SPA (web/dist) when it exists: hashed assets cached for good, index.html
 * re-read after every deploy, and client-side routes falling back to index.html.
 */
export function mountSpa(app: NestExpressApplication, config: AppConfig): boolean {
  if (!existsSync(join(config.webDistDir, 'index.html'))) return false;
  app.useStaticAssets(config.webDistDir, {
    index: false,
    setHeaders: (res: Response, path: string) =>
      res.setHeader(
        'Cache-Control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      ),
  });
  app.useGlobalFilters(new SpaFallbackFilter(config.webDistDir, app.getHttpAdapter()));
  return true;
}
