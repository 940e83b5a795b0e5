import { execFile } from 'node:child_process';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';

/** Which ffmpeg the pipelines will run (asked once, then cached). */
@Injectable()
export class FfmpegProbe {
  private version: Promise<string | null> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get(): Promise<string | null> {
    this.version ??= new Promise((resolve) => {
      execFile(this.config.ffmpegPath, ['-hide_banner', '-version'], { timeout: 5000 }, (err, stdout) => {
        resolve(err ? null : (/ffmpeg version (\S+)/.exec(stdout)?.[1] ?? 'unknown'));
      });
    });
    return this.version;
  }
}
