/**
 * Two instances on one database: one publisher per key across instances (4009 on the other one), a
 * webhook received by instance B reaching the socket held by instance A (LISTEN/NOTIFY), a publisher
 * whose connection dropped continuing its broadcast through the other instance, and the key
 * publishable again within a bounded time after instance A is killed (its lease expires).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { LEASE_TTL_MS } from '../src/streams/ingest/publisher-lease.service';
import { startApp, TestApp } from './support/app';
import { AppProcess, startAppProcess } from './support/app-process';
import { ClerkIssuer } from './support/clerk';
import { createTestDatabase, TestDatabase } from './support/db';
import { Publisher } from './support/ingest-client';
import { type MuxSide, startMuxSide } from './support/mux-app';
import { loadFixture } from './support/record-webm';

const fx = loadFixture('h264-720p');

describe('scale-out: two instances on one database', () => {
  const clerk = new ClerkIssuer();
  const tmp = mkdtempSync(join(tmpdir(), 'vybzz-scale-'));
  let serverDb: TestDatabase;
  let dbUrl: string;
  let muxSide: MuxSide;
  let a: AppProcess;
  let b: TestApp;

  beforeAll(async () => {
    // Several instances need a PostgreSQL server (the embedded database is one app's own, and PGlite
    // does not deliver NOTIFY across connections): DATABASE_URL, or this machine's server.
    serverDb = (await createTestDatabase(
      process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres',
    ))!;
    dbUrl = serverDb.url;
    muxSide = await startMuxSide({ rtmp: true });
    const env = { ...clerk.env(), ...muxSide.env, DATABASE_URL: dbUrl };
    a = await startAppProcess({ ...env, INSTANCE_ID: 'instance-a', DATA_DIR: join(tmp, 'a') });
    b = await startApp(
      { ...env, INSTANCE_ID: 'instance-b' },
      { databaseUrl: dbUrl, dataDir: join(tmp, 'b') },
    );
  });
  afterAll(async () => {
    a.proc.kill('SIGKILL');
    await b.close();
    await muxSide.stop();
    await serverDb.drop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('keeps one publisher per key across instances, relays webhooks to the socket, and recovers from a dead instance', async () => {
    const token = () => clerk.token({ sub: 'user_scaleout', name: 'Scale Creator', expiresInSec: 300 });
    const auth = () => ({ Authorization: `Bearer ${token()}` });
    await request(b.url)
      .put('/users/me/creator-profile')
      .set(auth())
      .send({ handle: 'scale_out', displayName: 'Scale' })
      .expect(200);
    const stream = (await request(b.url).post('/stream/create').set(auth()).send({}).expect(201)).body;
    const row = await b.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } });

    // publisher on instance A
    const first = await Publisher.connect(a.wsUrl, stream.streamKey);
    first.hello(token(), fx.mimeType);
    await first.ready;
    const sending = first.sendChunks(fx.chunks, fx.arrivalMs);

    // a second publisher for the same key on instance B is refused
    const second = await Publisher.connect(b.wsUrl, stream.streamKey);
    second.hello(token(), fx.mimeType);
    expect((await second.closed).code).toBe(4009);

    // Mux's "active" webhook lands on B; the socket on A hears "live"
    expect(
      await muxSide.mux.deliver(b.url, 'video.live_stream.active', {
        id: row.providerStreamId,
        status: 'active',
      }),
    ).toBeLessThan(300);
    await first.waitFor(
      (m) => m.type === 'status' && (m.stream as { isLive?: boolean } | undefined)?.isLive === true,
      10_000,
    );

    // The publisher's connection drops without Stop Streaming: it comes back through instance B
    // and continues the same broadcast there (A parked its lease for the reconnect window)…
    first.ws.terminate();
    await first.closed;
    await sending;
    const moved = await Publisher.connect(b.wsUrl, stream.streamKey);
    moved.hello(token(), fx.mimeType);
    await moved.ready;
    expect(b.logs.some((l) => l.includes('the publisher is back inside the reconnect window'))).toBe(true);
    // …and back through A.
    moved.ws.terminate();
    await moved.closed;
    const back = await Publisher.connect(a.wsUrl, stream.streamKey);
    back.hello(token(), fx.mimeType);
    await back.ready;
    const sendingAgain = back.sendChunks(fx.chunks, fx.arrivalMs);
    await new Promise((r) => setTimeout(r, 1000));

    // instance A dies mid-broadcast
    a.proc.kill('SIGKILL');
    await a.exited;
    await back.closed;
    await sendingAgain;
    const killedAt = Date.now();

    // the key can be published again on B once A's lease has expired
    let recoveredMs = -1;
    for (let attempt = 0; attempt < 60 && recoveredMs < 0; attempt++) {
      const p = await Publisher.connect(b.wsUrl, stream.streamKey);
      p.hello(token(), fx.mimeType);
      const outcome = await Promise.race([
        p.ready.then(() => 'ready'),
        p.closed.then((c) => `closed ${c.code}`),
      ]);
      if (outcome === 'ready') {
        recoveredMs = Date.now() - killedAt;
        await p.close(1000);
      } else {
        expect(outcome).toBe('closed 4009');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    process.stdout.write(
      `key publishable again ${recoveredMs} ms after the instance was killed (lease TTL ${LEASE_TTL_MS} ms)\n`,
    );
    expect(recoveredMs).toBeGreaterThanOrEqual(0);
    expect(recoveredMs).toBeLessThan(LEASE_TTL_MS + 5_000);
  });
});
