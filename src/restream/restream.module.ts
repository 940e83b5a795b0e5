import { Module } from '@nestjs/common';
import { RestreamTargetsController } from './restream-targets.controller';
import { RestreamTargetsService } from './restream-targets.service';
import { SecretBoxProvider } from './secret-box.provider';

/** Restream targets (issue 12): a creator's RTMP(S) destinations, keys sealed at rest. */
@Module({
  controllers: [RestreamTargetsController],
  providers: [SecretBoxProvider, RestreamTargetsService],
  exports: [RestreamTargetsService],
})
export class RestreamModule {}
