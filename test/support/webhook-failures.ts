/** Helpers of the webhook specs (webhooks-retry, webhooks-db-outage; the Mux counters for all). */
import { EventEmitter2 } from '@nestjs/event-emitter';
import { RecordingReadyEvent } from '../../src/streams/events/stream.events';
import { WebhookStats } from '../../src/webhooks/webhook-stats.service';
import type { TestApp } from './app';
import { defined } from './indexing';
import { assetEvent, type Delivery } from './mux-webhooks';

/** The app's counters of Mux webhook deliveries (stored, duplicate, refused, retried, …). */
export function muxWebhookStats(t: TestApp) {
  return defined(t.app.get(WebhookStats).snapshot().mux, 'counters of Mux webhooks');
}

/** Which database the app runs on (the suites' titles say it). */
export const dbName = () => (process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite');
let assetCounter = 0;

/** A VOD-making asset event for `providerStreamId`, with a fresh asset id. */
export function recording(providerStreamId: string) {
  const n = ++assetCounter;
  const asset = {
    assetId: `asset-r${n}-${Date.now()}`,
    liveStreamId: providerStreamId,
    playbackId: `pbr${n}`,
    durationSec: 10 + n,
  };
  return { asset, event: assetEvent('video.asset.live_stream_completed', asset) };
}

/** A listener that runs before the Posts one and throws while `failures` lasts (-1: forever). */
export function failRecordingListener(
  t: TestApp,
  failures: number,
): { calls: () => number; remove: () => void } {
  const emitter = t.app.get(EventEmitter2);
  let left = failures;
  let calls = 0;
  const listener = () => {
    calls++;
    if (left === -1 || left-- > 0) throw new Error('the VOD listener is down');
  };
  emitter.prependListener(RecordingReadyEvent.event, listener);
  return { calls: () => calls, remove: () => emitter.off(RecordingReadyEvent.event, listener) };
}

export const expect503 = (res: Delivery) => {
  expect(res.status).toBe(503);
  expect(res.body).toMatchObject({
    statusCode: 503,
    error: 'Service Unavailable',
    message: expect.any(String),
  });
};
