import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { join } from 'node:path';
import type { Response } from 'express';
import { AppModule, AppModuleOptions } from './app.module';
import { PathWsAdapter, originPolicy } from './streams/ingest/path-ws.adapter';
import { MEDIA_PREFIX } from './streams/providers/local.provider';
import { mountSpa } from './spa/spa.module';
import { securityHeaders } from './security/security-headers';
import type { AppConfig } from './config/app-config';
import { createOpenApiDocument } from './openapi-document';

/** The whole app, configured but not listening: main.ts and the e2e tests both start it this way. */
export async function createApp(
  config: AppConfig,
  options: AppModuleOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    rawBody: true, // webhook signatures are computed over the exact bytes
    bufferLogs: true,
    abortOnError: false, // a failed boot throws to the caller instead of exiting the process
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.use(securityHeaders(config));
  if (config.allowedOrigins.length) app.enableCors({ origin: config.allowedOrigins });
  mountSpa(app, config);
  app.useWebSocketAdapter(
    new PathWsAdapter(app, originPolicy(config.allowedOrigins), config.ingest.upgradeTimeoutMs),
  );
  // Local media provider: live HLS and recordings written by FFmpeg into DATA_DIR/media.
  app.useStaticAssets(join(config.dataDir, 'media'), {
    prefix: MEDIA_PREFIX,
    index: false,
    dotfiles: 'deny',
    setHeaders: (res: Response, path: string) =>
      res.setHeader('Cache-Control', path.endsWith('.m3u8') ? 'no-cache' : 'public, max-age=3600'),
  });
  if (config.apiDocs) SwaggerModule.setup('docs', app, () => createOpenApiDocument(app));
  return app;
}
