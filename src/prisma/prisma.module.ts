import { Global, Logger, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { openDatabase } from './database';
import { NotifyBus } from './notify-bus';
import { DATABASE, PrismaService } from './prisma.service';

@Global()
@Module({
  providers: [
    // Async: the database is open and migrated before anything that needs it is built.
    {
      provide: DATABASE,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => openDatabase(c, new Logger('Database')),
    },
    PrismaService,
    NotifyBus,
  ],
  exports: [PrismaService, DATABASE, NotifyBus],
})
export class PrismaModule {}
