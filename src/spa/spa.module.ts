import { existsSync } from 'node:fs';
import { DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { AppConfig } from '../config/app-config';
import { SpaConfigController } from './spa-config.controller';

/** Path prefixes the API owns: never answered with the SPA's index.html. */
export const API_PREFIXES = [
  'auth',
  'users',
  'creators',
  'posts',
  'stream',
  'webhooks',
  'health',
  'metrics',
  'docs',
  'app-config',
  'media',
];

/** The built React SPA (web/dist), with client-side routes falling back to index.html. */
@Module({})
export class SpaModule {
  static forRoot(config: AppConfig): DynamicModule {
    const built = existsSync(`${config.webDistDir}/index.html`);
    return {
      module: SpaModule,
      imports: built
        ? [
            ServeStaticModule.forRoot({
              rootPath: config.webDistDir,
              exclude: API_PREFIXES.flatMap((p) => [`/${p}`, `/${p}/{*rest}`]),
              serveStaticOptions: {
                index: false,
                fallthrough: true,
                // Hashed assets are immutable; index.html must be re-read after every deploy.
                setHeaders: (res: { setHeader(n: string, v: string): void }, path: string) =>
                  res.setHeader(
                    'Cache-Control',
                    path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
                  ),
              },
            }),
          ]
        : [],
      controllers: [SpaConfigController],
    };
  }
}
