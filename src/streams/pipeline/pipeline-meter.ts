import type { ByteQueue, QueueItem } from './byte-queue';
import { LatencyRecorder, type LatencySummary } from './diagnostics';
import type { FfmpegProgress } from './ffmpeg-progress';
import type { PipelineState, PipelineStats } from './pipeline.types';
import type { RestreamTracker } from './restream-tracker';

/**
 * A pipeline's counters: FFmpeg's output across its restarts, restarts, the last exit
 * reason and the server-added latency of each write. Also tells when a status is worth sending.
 */
export class PipelineMeter {
  private readonly latency = new LatencyRecorder();
  restarts = 0;
  lastExitReason: string | null = null;
  outputTimeMs = 0;
  /** Output of the FFmpegs before the current one, and of the current one. */
  private outputBytesBefore = 0;
  private outputBytesNow = 0;
  private lastStatusKey = '';

  constructor(private readonly onWriteLatency?: (ms: number) => void) {}

  get outputBytes(): number {
    return this.outputBytesBefore + this.outputBytesNow;
  }

  /** An item reached FFmpeg's stdin: its first write is measured (a replay is not). */
  written(item: QueueItem): void {
    if (item.written) return;
    item.written = true;
    const ms = performance.now() - item.arrivedAt;
    this.latency.record(ms);
    this.onWriteLatency?.(ms);
  }

  /** A new FFmpeg runs: its output counts from zero, on top of what the earlier ones wrote. */
  newProcess(): void {
    this.outputBytesBefore += this.outputBytesNow;
    this.outputBytesNow = 0;
  }

  progress(p: FfmpegProgress): void {
    this.outputBytesNow = p.totalSize;
    this.outputTimeMs = p.outTimeMs;
  }

  latencySamples(): number[] {
    return this.latency.values();
  }

  latencySummary(): LatencySummary {
    return this.latency.summary();
  }

  /** The pipeline's status: its state, input and queue, these counters, its FFmpeg and its targets. */
  stats(
    state: PipelineState,
    bytesIn: number,
    queue: ByteQueue,
    pid: number | null,
    restream: RestreamTracker | null,
  ): PipelineStats {
    return {
      state,
      bytesIn,
      bytesOut: queue.bytesWritten,
      queueBytes: queue.bytes,
      droppedClusters: queue.droppedClusters,
      droppedBytes: queue.droppedBytes,
      restarts: this.restarts,
      congested: queue.congested,
      lastExitReason: this.lastExitReason,
      outputBytes: this.outputBytes,
      outputTimeMs: this.outputTimeMs,
      pid,
      ...(restream && { restream: restream.snapshot() }),
    };
  }

  /** Whether a status should go out: always when forced, otherwise only when something changed. */
  shouldSend(stats: PipelineStats, force: boolean): boolean {
    const key = JSON.stringify(stats);
    if (!force && key === this.lastStatusKey) return false;
    this.lastStatusKey = key;
    return true;
  }
}
