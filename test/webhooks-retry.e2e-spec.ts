import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, TestApp } from './support/app';
import { createTestDatabase } from './support/db';
import { eventually } from './support/eventually';
import { deliverMux, muxEnv } from './support/mux-webhooks';
import { makeMuxStream } from './support/stream-factory';
import {
  dbName,
  expect503,
  failRecordingListener,
  muxWebhookStats,
  recording,
} from './support/webhook-failures';

const ENV = muxEnv();

describe(`webhook handling failures lose nothing (${dbName()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(ENV);
  });
  afterAll(() => t.close());

  it("a failed handling answers 503, keeps the event, and Mux's retry applies it exactly once", async () => {
    const { stream } = await makeMuxStream(t);
    const { asset, event } = recording(stream.providerStreamId);
    const failing = failRecordingListener(t, 1);
    try {
      expect503(await deliverMux(t.url, event));
      const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } });
      expect(row).toMatchObject({ processedAt: null, attempts: 1 });
      expect(row.lastError).toContain('the VOD listener is down');
      expect(await t.prisma.post.count({ where: { assetId: asset.assetId } })).toBe(0);

      // Mux delivers the same event again.
      expect(await deliverMux(t.url, event)).toEqual({
        status: 200,
        body: { id: event.id, result: 'processed' },
      });
      expect(await t.prisma.post.count({ where: { assetId: asset.assetId } })).toBe(1);
      const done = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } });
      expect(done).toMatchObject({ attempts: 1, lastError: null });
      expect(done.processedAt).not.toBeNull();

      expect(await deliverMux(t.url, event)).toEqual({
        status: 200,
        body: { id: event.id, result: 'duplicate' },
      });
      expect(await t.prisma.post.count({ where: { assetId: asset.assetId } })).toBe(1);
      expect(failing.calls()).toBe(2);
    } finally {
      failing.remove();
    }
  });

  it('the retry schedule applies a failed event by itself, once', async () => {
    const { stream } = await makeMuxStream(t);
    const { asset, event } = recording(stream.providerStreamId);
    const retriedBefore = muxWebhookStats(t).retried;
    const failing = failRecordingListener(t, 1);
    try {
      expect503(await deliverMux(t.url, event));
      const row = await eventually('the scheduled retry', async () => {
        const r = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } });
        return r.processedAt ? r : undefined;
      });
      expect(row).toMatchObject({ attempts: 1, lastError: null });
      expect(await t.prisma.post.count({ where: { assetId: asset.assetId } })).toBe(1);
      expect(muxWebhookStats(t).retried).toBeGreaterThan(retriedBefore);
      expect(failing.calls()).toBe(2);

      expect((await deliverMux(t.url, event)).body.result).toBe('duplicate');
      expect(await t.prisma.post.count({ where: { assetId: asset.assetId } })).toBe(1);
    } finally {
      failing.remove();
    }
  });
});

describe(`an unfinished event is retried after a restart (${dbName()})`, () => {
  it('the next instance on the same database applies it at boot, once', async () => {
    const pg = await createTestDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'vybzz-restart-'));
    const shared = pg ? { databaseUrl: pg.url } : { dataDir };
    let second: TestApp | null = null;
    try {
      const first = await startApp(ENV, shared);
      const { stream } = await makeMuxStream(first);
      const { asset, event } = recording(stream.providerStreamId);
      try {
        failRecordingListener(first, -1);
        expect503(await deliverMux(first.url, event));
        expect(await first.prisma.webhookEvent.count({ where: { id: event.id, processedAt: null } })).toBe(1);
      } finally {
        await first.close();
      }

      second = await startApp(ENV, shared);
      const app2 = second;
      await eventually(
        'the boot retry',
        async () =>
          (await app2.prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).processedAt,
      );
      expect(await second.prisma.post.count({ where: { assetId: asset.assetId } })).toBe(1);
      expect(await second.prisma.post.findFirstOrThrow({ where: { assetId: asset.assetId } })).toMatchObject({
        kind: 'VOD',
        playbackId: asset.playbackId,
        liveStreamId: stream.id,
      });
      expect((await deliverMux(second.url, event)).body.result).toBe('duplicate');
    } finally {
      await second?.close();
      await pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
