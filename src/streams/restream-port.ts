import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import type { PipelineOutput } from './pipeline/ffmpeg-args';
import { type RestreamSlave, restreamSlaveUrl, TeeSyntaxError, teeSafePath } from './pipeline/tee-output';

/** An enabled restream target with its key, as the Restream module hands it over. */
export interface RestreamDestinationInput {
  id: string;
  name: string;
  url: string;
  streamKey: string;
}

export type RestreamSource = (creatorId: string) => Promise<RestreamDestinationInput[]>;

/**
 * Where Streams learns a creator's restream targets without importing the Restream module (which
 * registers its source here at boot). Local mode adds them to the pipeline's output as tee slaves.
 */
@Injectable()
export class RestreamPort {
  private readonly logger = new Logger('Restream');
  private source: RestreamSource | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  register(source: RestreamSource): void {
    this.source = source;
  }

  /** The creator's enabled targets with their keys (Mux mode: its simulcast targets). Throws on a read error. */
  async destinations(creatorId: string): Promise<RestreamDestinationInput[]> {
    return this.source ? this.source(creatorId) : [];
  }

  /** `output` with the creator's enabled targets added (HLS output only; Mux simulcasts itself). */
  async withTargets(output: PipelineOutput, creatorId: string): Promise<PipelineOutput> {
    if (output.kind !== 'hls' || !this.source) return output;
    let targets: RestreamDestinationInput[];
    try {
      targets = await this.source(creatorId);
    } catch (e) {
      // The broadcast and its recording go ahead without restreaming.
      this.logger.warn(`restream targets of ${creatorId} could not be read: ${(e as Error).message}`);
      return output;
    }
    if (!targets.length) return output;
    if (!teeSafePath(output.dir)) {
      this.logger.warn(`DATA_DIR holds a character FFmpeg's tee reserves: restreaming is off`);
      return output;
    }
    const restream: RestreamSlave[] = [];
    for (const t of targets) {
      const { url, secret } = restreamSlaveUrl(t);
      if (!teeSafePath(url)) {
        this.logger.warn(
          `restream target ${t.id} skipped: ${new TeeSyntaxError('reserved character').message}`,
        );
        continue;
      }
      restream.push({ id: t.id, name: t.name, url, secret, caFile: this.config.restream.restreamCaFile });
    }
    return { ...output, restream };
  }
}
