import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../../config/app-config.module';
import type { AppConfig } from '../../config/app-config';
import type { LiveStream } from '../../generated/prisma/client';
import { MetricsService } from '../../metrics/metrics.service';
import { MediaStorage } from '../../storage/media-storage';
import type { FfmpegPipeline, PipelineStats } from '../pipeline/ffmpeg-pipeline';
import { FfmpegPipelineFactory } from '../pipeline/ffmpeg-pipeline.factory';
import { StreamProvider } from '../providers/stream-provider';
import { RestreamPort } from '../restream-port';

/** FFmpeg may crash this often within the window before the publish is given up (4500). */
export const PIPELINE_RESTART = { maxFailures: 5, windowMs: 60_000 };

/**
 * The FFmpeg pipelines of this instance: each one started for an admitted publisher (the provider
 * told, the output and its restream targets chosen, a full disk watched), counted for admission's
 * capacity check, and measured for /metrics.
 */
@Injectable()
export class IngestPipelines {
  private readonly logger = new Logger('Ingest');
  private readonly running = new Set<FfmpegPipeline>();
  /**
   * Pipeline slots taken by admissions that passed the capacity check and have not started their
   * pipeline yet (per stream id): taken in the same tick as the check, so concurrent admissions
   * (INGEST_ADMISSION_CONCURRENCY) cannot all pass it and exceed MAX_PIPELINES.
   */
  private readonly reserved = new Map<string, number>();
  private reservedCount = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly provider: StreamProvider,
    private readonly factory: FfmpegPipelineFactory,
    private readonly metrics: MetricsService,
    private readonly storage: MediaStorage,
    private readonly restream: RestreamPort,
  ) {
    metrics.ingestSnapshot = () => {
      let queueBytes = 0;
      for (const p of this.running) queueBytes += p.stats().queueBytes;
      return { activePipelines: this.running.size, queueBytes };
    };
  }

  /** Pipelines running or reserved: what MAX_PIPELINES bounds. */
  get inFlight(): number {
    return this.running.size + this.reservedCount;
  }

  /** Takes (1) or gives back (-1) a reserved slot of a stream; giving back what is not held does nothing. */
  reserve(streamId: string, delta: 1 | -1): void {
    const n = this.reserved.get(streamId) ?? 0;
    if (delta < 0 && n === 0) return;
    this.reservedCount += delta;
    if (n + delta > 0) this.reserved.set(streamId, n + delta);
    else this.reserved.delete(streamId);
  }

  /** Tells the provider and starts FFmpeg; `resumed`: the broadcast continues in its reconnect window. */
  async start(
    stream: LiveStream,
    mimeType: string,
    label: string,
    resumed: boolean,
  ): Promise<FfmpegPipeline> {
    await this.provider.publishStarted(stream, resumed);
    if (resumed) this.logger.log(`stream ${stream.id}: the publisher is back inside the reconnect window`);
    const pipeline = this.factory.create({
      mimeType,
      output: await this.restream.withTargets(this.provider.ingestTarget(stream), stream.creatorId),
      ffmpegPath: this.config.ffmpegPath,
      label,
      restart: { ...PIPELINE_RESTART, maxStalls: this.config.ingest.maxStallRestarts },
      onWriteLatency: (ms) => this.metrics.writeLatency.observe(ms / 1000),
    });
    this.instrument(pipeline);
    const output = this.provider.ingestTarget(stream);
    if (output.kind === 'hls') {
      // A full disk fails the pipeline with a clear reason (FFmpeg itself says nothing).
      const unwatch = this.storage.watch(output.dir, (reason) => pipeline.abort('storage-full', reason));
      pipeline.on('status', (s: PipelineStats) => {
        if (s.state === 'ended' || s.state === 'failed') unwatch();
      });
    }
    return pipeline;
  }

  /** Pipeline counters for /metrics: deltas of each status, exits by reason, restarts. */
  private instrument(pipeline: FfmpegPipeline): void {
    this.running.add(pipeline);
    let last = { bytesIn: 0, bytesOut: 0, droppedClusters: 0 };
    const account = (s: PipelineStats) => {
      this.metrics.bytesIn.inc(s.bytesIn - last.bytesIn);
      this.metrics.bytesOut.inc(s.bytesOut - last.bytesOut);
      this.metrics.droppedClusters.inc(s.droppedClusters - last.droppedClusters);
      last = { bytesIn: s.bytesIn, bytesOut: s.bytesOut, droppedClusters: s.droppedClusters };
      if (s.state === 'ended' || s.state === 'failed') this.running.delete(pipeline);
    };
    pipeline.on('status', account);
    pipeline.on('restart', () => this.metrics.ffmpegRestarts.inc());
    pipeline.on('exit', (e) => {
      const reason = e.expected
        ? 'expected'
        : e.signal
          ? `signal_${e.signal}`
          : `code_${e.code ?? 'unknown'}`;
      this.metrics.ffmpegExits.inc({ reason });
      account(pipeline.stats());
    });
  }
}
