import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { loadSecretsKey, SecretBox } from './secret-box';

/** The app's SecretBox, keyed at boot from SECRETS_KEY or (local mode) DATA_DIR/secrets.key. */
@Injectable()
export class SecretBoxProvider implements OnModuleInit {
  private readonly logger = new Logger('Secrets');
  private box: SecretBox | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    const configured = this.config.restream.secretsKey;
    this.box = new SecretBox(await loadSecretsKey(configured, this.config.dataDir));
    if (!configured) this.logger.log('restream keys are sealed with the key kept in DATA_DIR/secrets.key');
  }

  get(): SecretBox {
    if (!this.box) throw new Error('the secrets key is not loaded yet');
    return this.box;
  }
}
