import { Injectable, Optional } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';

/**
 * - refused:   a delivery answered 4xx (signature, age, body), nothing written
 * - stored:    a delivery whose event was new, written to the inbox
 * - duplicate: a delivery of an event already processed, acknowledged and not handled again
 * - processed: a handling that finished (from a delivery or a retry), ignored ones included
 * - ignored:   of those, the ones that changed nothing (unknown type or object)
 * - failed:    a handling (or a store) that failed: 5xx to the sender, the row is retried
 * - retried:   handlings started by the retry schedule rather than by a delivery
 */
export const WEBHOOK_OUTCOMES = [
  'refused',
  'stored',
  'duplicate',
  'processed',
  'ignored',
  'failed',
  'retried',
] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];
export type WebhookStatsSnapshot = Record<string, Record<WebhookOutcome, number>>;

/**
 * Counters of webhook deliveries and handlings by source and outcome: snapshot() for code and tests,
 * and the same counts on /metrics as vybzz_webhook_deliveries_total{source,outcome}. Only registered
 * sources are counted (WebhookSources calls track()).
 */
@Injectable()
export class WebhookStats {
  constructor(@Optional() private readonly metrics?: MetricsService) {}

  private readonly counts = new Map<string, Record<WebhookOutcome, number>>();

  track(source: string): void {
    if (this.counts.has(source)) return;
    this.counts.set(
      source,
      Object.fromEntries(WEBHOOK_OUTCOMES.map((o) => [o, 0])) as Record<WebhookOutcome, number>,
    );
  }

  record(source: string, outcome: WebhookOutcome): void {
    const counts = this.counts.get(source);
    if (!counts) return;
    counts[outcome] += 1;
    this.metrics?.webhookDeliveries.inc({ source, outcome });
  }

  /** A copy: counters since boot, never reset. */
  snapshot(): WebhookStatsSnapshot {
    return Object.fromEntries([...this.counts].map(([source, c]) => [source, { ...c }]));
  }
}
