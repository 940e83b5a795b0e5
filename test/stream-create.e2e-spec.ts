/**
 * Issue 16 item 4: POST /stream/create raced (10 concurrent calls made 5 Mux live streams and 5 keys).
 * One open stream per creator (a partial unique index and an advisory lock around provisioning), a
 * per-user rate limit on creation and on the other write routes, and a key reset for a leaked key.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { isUniqueViolation } from '../src/prisma/prisma-errors';
import { startApp, TestApp } from './support/app';
import { makeCreator, signIn, uniqueName } from './support/factories';
import { Publisher } from './support/ingest-client';
import { withMuxApp } from './support/mux-app';
import { MuxStandin } from './support/mux-standin';

interface Created {
  id: string;
  streamKey: string;
  ingestPath: string;
}

const creations = (mux: MuxStandin) =>
  mux.requests.filter((r) => r.method === 'POST' && r.path === '/video/v1/live-streams').length;

describe('POST /stream/create and key reset (Mux mode, stand-in API)', () => {
  let mux: MuxStandin;
  let t: TestApp;
  withMuxApp((s) => ({ mux, t } = s));

  it('10 concurrent calls by one creator make exactly one Mux live stream, and all get it', async () => {
    const c = await makeCreator(t);
    const before = creations(mux);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => request(t.url).post('/stream/create').set(c.auth).send({})),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const bodies = results.map((r) => r.body as Created);
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(new Set(bodies.map((b) => b.streamKey)).size).toBe(1);
    expect(creations(mux) - before).toBe(1);
    expect(
      await t.prisma.liveStream.count({ where: { creatorId: c.userId, status: { not: 'ENDED' } } }),
    ).toBe(1);
  });

  it('concurrent calls by different creators are not serialised into one stream', async () => {
    const [a, b] = await Promise.all([makeCreator(t), makeCreator(t)]);
    const before = creations(mux);
    const create = (c: typeof a) => request(t.url).post('/stream/create').set(c.auth).send({}).expect(201);
    const [ra, rb] = await Promise.all([create(a), create(b)]);
    expect(ra.body.id).not.toBe(rb.body.id);
    expect(creations(mux) - before).toBe(2);
  });

  it('the database refuses a second open stream for a creator (partial unique index)', async () => {
    const c = await makeCreator(t);
    const first = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201))
      .body as Created;
    const insert = () =>
      t.prisma.liveStream.create({
        data: {
          creatorId: c.userId,
          provider: 'mux',
          providerStreamId: `dup_${randomUUID()}`,
          streamKey: `dup_${randomUUID()}`,
        },
      });
    expect(isUniqueViolation(await insert().catch((e: unknown) => e))).toBe(true);
    // Once the open one has ended, a new one may exist.
    await t.prisma.liveStream.update({ where: { id: first.id }, data: { status: 'ENDED' } });
    await expect(insert()).resolves.toMatchObject({ creatorId: c.userId });
  });

  it('a late event for an ended stream does not reopen it beside the creator’s new one (200, no retry loop)', async () => {
    const c = await makeCreator(t);
    const a = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body as Created;
    const muxA = [...mux.liveStreams.values()].find((l) => l.stream_key === a.streamKey)!;
    const t0 = Date.now() - 60_000;
    expect(
      await mux.deliver(t.url, 'video.live_stream.deleted', { id: muxA.id }, { createdAt: new Date(t0) }),
    ).toBe(200);
    const b = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body as Created;
    expect(b.id).not.toBe(a.id);
    const late = { id: muxA.id, status: 'idle' };
    expect(await mux.deliver(t.url, 'video.live_stream.idle', late, { createdAt: new Date(t0 + 1000) })).toBe(
      200,
    );
    const rows = await t.prisma.liveStream.findMany({
      where: { creatorId: c.userId },
      orderBy: { createdAt: 'asc' },
    });
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      [a.id, 'ENDED'],
      [b.id, 'IDLE'],
    ]);
  });

  it('POST /stream/:id/reset-key: Mux resets the key (its wire format); the old key is refused', async () => {
    const c = await makeCreator(t);
    const s = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body as Created;
    const mine = [...mux.liveStreams.values()].find((l) => l.stream_key === s.streamKey)!;
    const r = await request(t.url).post(`/stream/${s.id}/reset-key`).set(c.auth).expect(200);
    expect(r.body).toMatchObject({ id: s.id, streamKey: expect.any(String) });
    expect(r.body.streamKey).not.toBe(s.streamKey);
    expect(r.body.ingestPath).toBe(`/stream/live/${r.body.streamKey}`);
    expect(mux.liveStreams.get(mine.id)!.stream_key).toBe(r.body.streamKey);
    expect(
      mux.requests.find(
        (q) => q.method === 'POST' && q.path === `/video/v1/live-streams/${mine.id}/reset-stream-key`,
      ),
    ).toMatchObject({ authorized: true });
    const got = await request(t.url).get(`/stream/${s.id}`).set(c.auth).expect(200);
    expect(got.body.streamKey).toBe(r.body.streamKey);
    // The old key is unknown now.
    const old = await Publisher.connect(t.wsUrl, s.streamKey);
    old.hello(c.token);
    expect((await old.closed).code).toBe(4004);
  });

  it('reset-key: another user 403, unknown 404, a stream being published 409, Mux failing 502; nothing changes', async () => {
    const c = await makeCreator(t);
    const other = await makeCreator(t);
    const s = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body as Created;
    await request(t.url).post(`/stream/${s.id}/reset-key`).set(other.auth).expect(403);
    await request(t.url).post(`/stream/${randomUUID()}/reset-key`).set(c.auth).expect(404);
    await request(t.url).post(`/stream/${s.id}/reset-key`).expect(401);
    await t.prisma.$executeRaw`INSERT INTO stream_leases (live_stream_id, holder, expires_at)
      VALUES (${s.id}::uuid, 'another-instance', now() + interval '1 minute')`;
    const busy = await request(t.url).post(`/stream/${s.id}/reset-key`).set(c.auth).expect(409);
    expect(busy.body.message).toMatch(/stop streaming/i);
    await t.prisma.$executeRaw`DELETE FROM stream_leases WHERE live_stream_id = ${s.id}::uuid`;
    mux.failWith = 500;
    try {
      await request(t.url).post(`/stream/${s.id}/reset-key`).set(c.auth).expect(502);
    } finally {
      mux.failWith = null;
    }
    expect((await t.prisma.liveStream.findUniqueOrThrow({ where: { id: s.id } })).streamKey).toBe(
      s.streamKey,
    );
  });
});

describe('per-user write limits (local mode)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ STREAM_CREATE_RATE_LIMIT_PER_MINUTE: '3', WRITE_RATE_LIMIT_PER_MINUTE: '4' });
  });
  afterAll(() => t.close());

  it('stream creation: the 4th call in a minute is 429 with Retry-After; other creators are not affected', async () => {
    const c = await makeCreator(t);
    for (let i = 0; i < 3; i++) await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201);
    const limited = await request(t.url).post('/stream/create').set(c.auth).send({}).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ statusCode: 429 });
    const d = await makeCreator(t);
    await request(t.url).post('/stream/create').set(d.auth).send({}).expect(201);
  });

  it('posts and profile writes share a per-user budget; a limited write writes nothing', async () => {
    const u = await signIn(t);
    const handle = uniqueName('w').toLowerCase();
    await request(t.url)
      .put('/users/me/creator-profile')
      .set(u.auth)
      .send({ handle, displayName: 'W' })
      .expect(200);
    for (let i = 0; i < 3; i++)
      await request(t.url)
        .post('/posts')
        .set(u.auth)
        .send({ title: `p${i}` })
        .expect(201);
    await request(t.url).post('/posts').set(u.auth).send({ title: 'one too many' }).expect(429);
    await request(t.url)
      .put('/users/me/creator-profile')
      .set(u.auth)
      .send({ handle, displayName: 'Renamed' })
      .expect(429);
    expect(await t.prisma.post.count({ where: { authorId: u.userId } })).toBe(3);
    expect((await request(t.url).get(`/creators/${handle}`).expect(200)).body.displayName).toBe('W');
    // Reads are not limited, and another user writes freely.
    await request(t.url).get('/users/me').set(u.auth).expect(200);
    const v = await makeCreator(t);
    await request(t.url).post('/posts').set(v.auth).send({ title: 'fine' }).expect(201);
  });
});
