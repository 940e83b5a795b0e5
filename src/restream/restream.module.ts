import { Module, type OnModuleInit } from '@nestjs/common';
import { RestreamPort } from '../streams/restream-port';
import { StreamsModule } from '../streams/streams.module';
import { RestreamTargetsController } from './restream-targets.controller';
import { RestreamTargetsService } from './restream-targets.service';
import { SecretBoxProvider } from './secret-box.provider';

/** Restream targets (issue 12): a creator's RTMP(S) destinations, keys sealed at rest. */
@Module({
  imports: [StreamsModule],
  controllers: [RestreamTargetsController],
  providers: [SecretBoxProvider, RestreamTargetsService],
  exports: [RestreamTargetsService],
})
export class RestreamModule implements OnModuleInit {
  constructor(
    private readonly port: RestreamPort,
    private readonly targets: RestreamTargetsService,
  ) {}

  /** Local mode's pipelines get the creator's enabled targets from here. */
  onModuleInit(): void {
    this.port.register((creatorId) => this.targets.destinations(creatorId));
  }
}
