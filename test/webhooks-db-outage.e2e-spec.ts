import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { RecordingReadyEvent } from '../src/streams/events/stream.events';
import { startApp, TestApp } from './support/app';
import { createTestDatabase } from './support/db';
import { eventually } from './support/eventually';
import { defined } from './support/indexing';
import { deliverMux, liveStreamEvent, muxEnv } from './support/mux-webhooks';
import { makeMuxStream } from './support/stream-factory';
import { dbName, expect503, recording } from './support/webhook-failures';

const ENV = muxEnv();

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
      ] as const) {
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
    host: defined(host, 'the host of the PGlite socket server'),
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
