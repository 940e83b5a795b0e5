import { DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { DestinationStream } from 'pino';
import { AuthModule } from './auth/auth.module';
import type { AppConfig } from './config/app-config';
import { WriteLimitModule } from './common/write-limit';
import { AppConfigModule } from './config/app-config.module';
import { MediaStorageModule } from './storage/media-storage';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { PostsModule } from './posts/posts.module';
import { PrismaModule } from './prisma/prisma.module';
import { RestreamModule } from './restream/restream.module';
import { RoomModule } from './room/room.module';
import { SpaModule } from './spa/spa.module';
import { StreamsModule } from './streams/streams.module';
import { UsersModule } from './users/users.module';

export interface AppModuleOptions {
  /** Where JSON log lines go (stdout by default); tests capture them. */
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(config, options.logDestination),
        EventEmitterModule.forRoot({ wildcard: false, ignoreErrors: false }),
        PrismaModule,
        MetricsModule,
        MediaStorageModule,
        HealthModule,
        AuthModule,
        WriteLimitModule,
        UsersModule,
        PostsModule,
        StreamsModule,
        RestreamModule,
        RoomModule,
        SpaModule,
      ],
    };
  }
}
