import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { APP_CONFIG } from '../../config/app-config.module';
import type { AppConfig } from '../../config/app-config';
import { launcherFor } from './ffmpeg-launcher';
import { FfmpegPipeline } from './ffmpeg-pipeline';
import type { FfmpegPipelineOptions } from './pipeline.types';
import { SessionSpawner } from './session-spawner';
import { SpawnGate } from './spawn-gate';

/**
 * Creates one FfmpegPipeline per live connection; inject it where pipelines are needed. In the app
 * it starts FFmpeg under SCHED_IDLE or SCHED_BATCH where that works (FFMPEG_SCHED, see
 * ffmpeg-launcher.ts), found out at boot,
 * and one spawn at a time (spawn-gate.ts), forked by a helper process in a session of its own
 * (FFMPEG_SPAWNER=session, the default; session-spawner.ts), so that under overload the event loop keeps
 * its CPU. FFMPEG_SPAWNER=direct forks it from the app.
 */
@Injectable()
export class FfmpegPipelineFactory implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(FfmpegPipelineFactory.name);
  private launcher: readonly string[] = [];
  /** Every FFmpeg of the app spawns in its own turn, INGEST_PIPELINE_STARTS_PER_SECOND at most. */
  private readonly gate: SpawnGate | undefined;
  private readonly spawner: SessionSpawner | undefined;

  constructor(@Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig) {
    this.gate = config && new SpawnGate(config.ingest.pipelineStartsPerSecond);
    this.spawner = config?.ingest.ffmpegSpawner === 'session' ? new SessionSpawner() : undefined;
  }

  /** After the ingest sessions have ended (StreamsModule's beforeApplicationShutdown). */
  onApplicationShutdown(): void {
    this.spawner?.close();
  }

  async onModuleInit(): Promise<void> {
    if (!this.config) return;
    const { ffmpegSched: sched, ffmpegNice: nice } = this.config.ingest;
    this.launcher = await launcherFor(this.config.ffmpegPath, { sched, nice });
    this.log.log(
      this.launcher.length
        ? `FFmpeg runs under SCHED_${sched.toUpperCase()} (${this.launcher.join(' ')})`
        : `chrt --${sched} is not available: FFmpeg runs with the default scheduling policy`,
    );
    if (this.spawner) this.log.log('FFmpeg is forked by a helper process in a session of its own');
  }

  create(options: FfmpegPipelineOptions): FfmpegPipeline {
    const launcher = options.ffmpegPath === this.config?.ffmpegPath ? this.launcher : [];
    // Every output with a key goes through a loopback relay (callers may opt out with relay: false).
    const spawner = options.ffmpegPath === this.config?.ffmpegPath ? this.spawner : undefined;
    return new FfmpegPipeline({ launcher, relay: true, spawnGate: this.gate, spawner, ...options });
  }
}
