import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { PrismaClient } from '../generated/prisma/client';
import type { Database } from './database';

export const DATABASE = Symbol('DATABASE');

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) readonly database: Database,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super({
      adapter: new PrismaPg({
        connectionString: database.url,
        // The embedded PGlite is one session: pooled connections would interleave their statements
        // and transactions in it, so it gets one connection (requests queue for it).
        max: database.embedded ? 1 : config.databasePoolSize,
        // A database that hangs instead of refusing must not hang requests: fail, answer 5xx, retry later.
        connectionTimeoutMillis: 5_000,
      }),
    });
  }

  /** The last hook: publishers are closed and their broadcasts finished (which writes) before this. */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    await this.database.close();
  }

  async ping(): Promise<void> {
    await this.$queryRaw`SELECT 1`;
  }
}
