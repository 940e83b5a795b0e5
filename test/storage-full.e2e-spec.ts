/**
 * Issue 16 item 6: a full disk must not fail silently. DATA_DIR's media folder is a 3 MiB tmpfs
 * (mounted here as root, as CI runs): a broadcast that fills it is closed with 4507 and a reason that
 * says so, /health says the media disk is short (503) and /metrics reports its free bytes, and a new
 * local broadcast is refused before it starts. LOCAL_RECORDING_MAX_GB refuses broadcasts once the
 * recordings take that much (it never deletes media), and MAX_BROADCAST_MINUTES ends a broadcast
 * that runs too long (4010).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startApp, TestApp } from './support/app';
import { makeCreator } from './support/factories';
import { Publisher } from './support/ingest-client';
import { loadFixture, loopFixture } from './support/record-webm';

const h264 = loadFixture('h264-720p');
const MiB = 1024 * 1024;

async function goLive(t: TestApp) {
  const c = await makeCreator(t);
  const s = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body as {
    streamKey: string;
  };
  const p = await Publisher.connect(t.wsUrl, s.streamKey);
  p.hello(c.token, h264.mimeType);
  return p;
}

describe('a full media disk (3 MiB tmpfs as DATA_DIR/media)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vybzz-full-'));
  const media = join(dataDir, 'media');
  let t: TestApp;
  beforeAll(async () => {
    mkdirSync(media);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', media]);
    // The media is sent unpaced to fill the disk quickly: lift the per-socket message-rate cap.
    t = await startApp({ LOCAL_MIN_FREE_MB: '1', INGEST_MAX_MESSAGES_PER_SECOND: '100000' }, { dataDir });
  });
  afterAll(async () => {
    await t?.close();
    execFileSync('umount', [media]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports free space in /health and /metrics', async () => {
    const health = await request(t.url).get('/health').expect(200);
    expect(health.body.details.media).toMatchObject({ status: 'up', freeBytes: expect.any(Number) });
    expect(health.body.details.media.freeBytes).toBeGreaterThan(2 * MiB);
    expect(health.body.details.media.freeBytes).toBeLessThanOrEqual(3 * MiB);
    const metrics = (await request(t.url).get('/metrics').expect(200)).text;
    const free = Number(/^vybzz_media_free_bytes (\d+)/m.exec(metrics)?.[1]);
    expect(free).toBeGreaterThan(2 * MiB);
  });

  it('a broadcast that fills the disk is closed with 4507 and says why; then /health is 503 and new broadcasts are refused', async () => {
    const p = await goLive(t);
    await p.ready;
    const looped = loopFixture(h264, 40);
    await p.sendChunks(looped.chunks, null);
    const closed = await Promise.race([
      p.closed,
      new Promise<null>((r) => setTimeout(() => r(null), 30_000)),
    ]);
    expect(closed).toMatchObject({ code: 4507, reason: expect.stringMatching(/disk|space/i) });
    const health = await request(t.url).get('/health');
    expect(health.status).toBe(503);
    expect(health.body.details.media).toMatchObject({
      status: 'down',
      message: expect.stringMatching(/full/),
    });
    const q = await goLive(t);
    expect(await q.closed).toMatchObject({ code: 4507, reason: expect.stringMatching(/disk|space/i) });
    expect(t.logs.some((l) => /pipeline failed \(storage-full\)/.test(l))).toBe(true);
  });
});

describe('recording quota and broadcast length', () => {
  it('LOCAL_RECORDING_MAX_GB: once the recordings take that much, a new broadcast is refused (4507), nothing deleted', async () => {
    const t = await startApp({ LOCAL_RECORDING_MAX_GB: '0.001' });
    try {
      const old = join(t.dataDir, 'media', 'vod', 'old-recording');
      mkdirSync(old, { recursive: true });
      writeFileSync(join(old, 'seg0.ts'), Buffer.alloc(2 * MiB));
      const p = await goLive(t);
      expect(await p.closed).toMatchObject({
        code: 4507,
        reason: expect.stringMatching(/LOCAL_RECORDING_MAX_GB|recordings/),
      });
      expect(execFileSync('ls', [old]).toString()).toContain('seg0.ts');
    } finally {
      await t.close();
    }
  });

  it('MAX_BROADCAST_MINUTES: a broadcast is ended with 4010 when it runs longer', async () => {
    const t = await startApp({ MAX_BROADCAST_MINUTES: '0.05' }); // 3 s
    try {
      const p = await goLive(t);
      await p.ready;
      const looped = loopFixture(h264, 30);
      void p.sendChunks(looped.chunks, looped.mediaMs);
      const began = Date.now();
      const closed = await p.closed;
      expect(closed).toMatchObject({
        code: 4010,
        reason: expect.stringMatching(/maximum broadcast duration/i),
      });
      expect(Date.now() - began).toBeLessThan(15_000);
    } finally {
      await t.close();
    }
  });
});
