import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { RecordingReadyEvent } from '../src/streams/events/stream.events';
import { WebhookStats } from '../src/webhooks/webhook-stats.service';
import { startApp, TestApp } from './support/app';
import { createTestDatabase } from './support/db';
import { eventually } from './support/eventually';
import { assetEvent, deliverMux, Delivery, liveStreamEvent, muxEnv } from './support/mux-webhooks';
import { makeMuxStream } from './support/stream-factory';

const ENV = muxEnv();
const dbName = () => (process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite');
let assetCounter = 0;

/** A VOD-making asset event for `providerStreamId`, with a fresh asset id. */
function recording(providerStreamId: string) {
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
function failRecordingListener(t: TestApp, failures: number): { calls: () => number; remove: () => void } {
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

const expect503 = (res: Delivery) => {
  expect(res.status).toBe(503);
  expect(res.body).toMatchObject({
    statusCode: 503,
    error: 'Service Unavailable',
    message: expect.any(String),
  });
};

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
    const retriedBefore = t.app.get(WebhookStats).snapshot().mux.retried;
    const failing = failRecordingListener(t, 1);
    try {
      expect503(await deliverMux(t.url, event));
      const row = await eventually('the scheduled retry', async () => {
        const r = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } });
        return r.processedAt ? r : undefined;
      });
      expect(row).toMatchObject({ attempts: 1, lastError: null });
      expect(await t.prisma.post.count({ where: { assetId: asset.assetId } })).toBe(1);
      expect(t.app.get(WebhookStats).snapshot().mux.retried).toBeGreaterThan(retriedBefore);
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

/**
 * A TCP proxy between the app and its database that can drop every connection and refuse new ones:
 * from the app's side, the database is gone until restore().
 */
class DatabaseLink {
  private readonly sockets = new Set<Socket>();
  private down = false;
  private server!: Server;
  port = 0;

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      if (this.down) return client.destroy();
      const upstream = new Socket();
      upstream.connect(this.targetPort, this.host);
      for (const [a, b] of [
        [client, upstream],
        [upstream, client],
      ]) {
        this.sockets.add(a);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          this.sockets.delete(a);
          b.destroy();
        });
        a.pipe(b);
      }
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
  }

  cut(): void {
    this.down = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.down = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise((r) => this.server.close(r));
  }
}

/** The database behind the link: a fresh PostgreSQL database, or PGlite served on a local socket. */
async function databaseForOutage(): Promise<{
  host: string;
  port: number;
  url: (port: number) => string;
  close: () => Promise<void>;
}> {
  const pg = await createTestDatabase();
  if (pg) {
    const u = new URL(pg.url);
    return {
      host: u.hostname,
      port: Number(u.port || 5432),
      url: (port) => {
        const v = new URL(pg.url);
        v.hostname = '127.0.0.1';
        v.port = String(port);
        return v.toString();
      },
      close: () => pg.drop(),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'vybzz-outage-'));
  mkdirSync(join(dir, 'pgdata'));
  const db = await PGlite.create(join(dir, 'pgdata'));
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 40 });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  return {
    host,
    port: Number(port),
    url: (p) => `postgresql://postgres@127.0.0.1:${p}/postgres?sslmode=disable`,
    close: async () => {
      await server.stop();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe(`the database gone for a moment (${dbName()}, through a link we can cut)`, () => {
  let t: TestApp;
  let link: DatabaseLink;
  let db: Awaited<ReturnType<typeof databaseForOutage>>;
  beforeAll(async () => {
    db = await databaseForOutage();
    link = new DatabaseLink(db.host, db.port);
    await link.start();
    t = await startApp(ENV, { databaseUrl: db.url(link.port) });
  });
  afterAll(async () => {
    link.restore();
    await t.close();
    await link.stop();
    await db.close();
  });

  it('a delivery while the database is down gets 503 and stores nothing; the redelivery applies it', async () => {
    const { stream } = await makeMuxStream(t);
    const event = liveStreamEvent('active', stream.providerStreamId);
    link.cut();
    try {
      expect503(await deliverMux(t.url, event));
    } finally {
      link.restore();
    }
    expect(await t.prisma.webhookEvent.count({ where: { id: event.id } })).toBe(0);
    const res = await eventually('the database to come back', async () => {
      const r = await deliverMux(t.url, event);
      return r.status === 200 ? r : undefined;
    });
    expect(res.body).toEqual({ id: event.id, result: 'processed' });
    expect(await t.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } })).toMatchObject({
      status: 'ACTIVE',
      isLive: true,
    });
  });

  it('the database lost in the middle of handling: 503, then the event is applied once it is back', async () => {
    const { stream } = await makeMuxStream(t);
    const { asset, event } = recording(stream.providerStreamId);
    const emitter = t.app.get(EventEmitter2);
    let cuts = 0;
    // Runs after the event was stored and the stream row read, just before the VOD post is written.
    const cutOnce = () => {
      if (cuts++ > 0) return;
      link.cut();
      setTimeout(() => link.restore(), 500).unref();
    };
    emitter.prependListener(RecordingReadyEvent.event, cutOnce);
    try {
      expect503(await deliverMux(t.url, event));
      const row = await eventually('the event to be applied after the outage', async () => {
        const r = await t.prisma.webhookEvent.findUnique({ where: { id: event.id } }).catch(() => null);
        return r?.processedAt ? r : undefined;
      });
      expect(row.lastError).toBeNull();
      expect(await t.prisma.post.count({ where: { assetId: asset.assetId } })).toBe(1);
      expect(cuts).toBe(2);
      expect((await deliverMux(t.url, event)).body.result).toBe('duplicate');
      expect(await t.prisma.post.count({ where: { assetId: asset.assetId } })).toBe(1);
    } finally {
      emitter.off(RecordingReadyEvent.event, cutOnce);
    }
  });
});
