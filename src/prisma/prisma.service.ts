import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { PrismaClient } from '../generated/prisma/client';
import type { Database } from './database';

export const DATABASE = Symbol('DATABASE');

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(
    @Inject(DATABASE) readonly database: Database,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super({ adapter: new PrismaPg({ connectionString: database.url, max: config.databasePoolSize }) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
    await this.database.close();
  }

  async ping(): Promise<void> {
    await this.$queryRaw`SELECT 1`;
  }
}
