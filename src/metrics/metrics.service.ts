import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Every Prometheus metric of the app, on one registry (GET /metrics). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'vybzz_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** Read at scrape time: set by the ingest side. */
  ingestSnapshot: () => { activePipelines: number; queueBytes: number } = () => ({
    activePipelines: 0,
    queueBytes: 0,
  });

  readonly activePipelines: Gauge = new Gauge({
    name: 'vybzz_ingest_active_pipelines',
    help: 'Ingest pipelines (live publisher connections) running now',
    registers: [this.registry],
    collect: (): void => this.activePipelines.set(this.ingestSnapshot().activePipelines),
  });
  readonly queueBytes: Gauge = new Gauge({
    name: 'vybzz_ingest_queue_bytes',
    help: 'Bytes waiting in the pipelines’ queues in front of FFmpeg',
    registers: [this.registry],
    collect: (): void => this.queueBytes.set(this.ingestSnapshot().queueBytes),
  });
  readonly bytesIn = new Counter({
    name: 'vybzz_ingest_bytes_in_total',
    help: 'Media bytes received from publishers',
    registers: [this.registry],
  });
  readonly bytesOut = new Counter({
    name: 'vybzz_ingest_bytes_out_total',
    help: 'Media bytes written into FFmpeg',
    registers: [this.registry],
  });
  readonly writeLatency = new Histogram({
    name: 'vybzz_ingest_write_latency_seconds',
    help: 'Server-added latency: a media chunk reaching its pipeline to its write into FFmpeg stdin',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly droppedClusters = new Counter({
    name: 'vybzz_ingest_dropped_clusters_total',
    help: 'WebM clusters dropped because a queue was full (congestion)',
    registers: [this.registry],
  });
  readonly ffmpegRestarts = new Counter({
    name: 'vybzz_ffmpeg_restarts_total',
    help: 'FFmpeg processes restarted after a crash',
    registers: [this.registry],
  });
  readonly ffmpegExits = new Counter({
    name: 'vybzz_ffmpeg_exits_total',
    help: 'FFmpeg process exits by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly publishes = new Counter({
    name: 'vybzz_ingest_publishes_total',
    help: 'Ingest connections by outcome (refused codes, stopped, dropped, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly webhookDeliveries = new Counter({
    name: 'vybzz_webhook_deliveries_total',
    help: 'Webhook deliveries by source and outcome',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'vybzz_' });
  }
}
