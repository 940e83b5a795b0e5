import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../common/public.decorator';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { AppConfigResponse } from './dto/app-config.dto';

/** Runtime settings for the SPA, so one build fits every deployment. */
@ApiTags('app')
@Public()
@Controller('app-config')
export class SpaConfigController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  get(): AppConfigResponse {
    const auth = this.config.auth;
    return {
      authMode: auth.mode,
      clerkPublishableKey: auth.mode === 'clerk' ? auth.publishableKey : null,
      mediaProvider: this.config.mux ? 'mux' : 'local',
    };
  }
}
