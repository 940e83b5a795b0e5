/**
 * Issue 12 item 1: a creator's restream targets. The stream key is sealed (AES-256-GCM) before it is
 * stored: the raw columns hold no trace of it, and no response or log line ever carries it.
 */
import request from 'supertest';
import { startApp, TestApp } from './support/app';
import { makeCreator, signIn } from './support/factories';
import { defined } from './support/indexing';

const KEY = 'live_8812_SuperSecretKeyXyZ9';
const target = (over: Record<string, unknown> = {}) => ({
  name: 'YouTube',
  url: 'rtmp://a.rtmp.youtube.com/live2',
  streamKey: KEY,
  ...over,
});

describe('restream targets', () => {
  let t: TestApp;
  const bodies: string[] = [];
  const send = async (r: request.Test) => {
    const res = await r;
    bodies.push(res.text);
    return res;
  };

  beforeAll(async () => {
    t = await startApp({ LOG_LEVEL: 'debug' }, { logLevel: 'debug' });
  });
  afterAll(() => t.close());

  it('adds, lists, disables and deletes targets, showing only the key hint', async () => {
    const c = await makeCreator(t);
    const created = await send(request(t.url).post('/users/me/restream-targets').set(c.auth).send(target()));
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'YouTube',
      url: 'rtmp://a.rtmp.youtube.com/live2',
      keyHint: 'XyZ9',
      enabled: true,
      createdAt: expect.any(String),
    });
    const rtmps = {
      name: 'Facebook',
      url: 'rtmps://live-api-s.facebook.com:443/rtmp/',
      streamKey: 'FB-1-0-Ab?s_bl=1&a=Ab',
    };
    await send(request(t.url).post('/users/me/restream-targets').set(c.auth).send(rtmps).expect(201));
    const list = await send(request(t.url).get('/users/me/restream-targets').set(c.auth).expect(200));
    expect(list.body.map((x: { name: string; keyHint: string }) => [x.name, x.keyHint])).toEqual([
      ['YouTube', 'XyZ9'],
      ['Facebook', '=1&a=Ab'.slice(-4)],
    ]);
    expect(list.body[1].url).toBe('rtmps://live-api-s.facebook.com:443/rtmp');

    const off = await send(
      request(t.url)
        .patch(`/users/me/restream-targets/${created.body.id}`)
        .set(c.auth)
        .send({ enabled: false }),
    );
    expect([off.status, off.body.enabled]).toEqual([200, false]);
    await send(
      request(t.url).delete(`/users/me/restream-targets/${created.body.id}`).set(c.auth).expect(204),
    );
    const after = await send(request(t.url).get('/users/me/restream-targets').set(c.auth).expect(200));
    expect(after.body.map((x: { name: string }) => x.name)).toEqual(['Facebook']);
  });

  it('stores the key encrypted: the raw row holds no trace of it', async () => {
    const c = await makeCreator(t);
    const r = await send(
      request(t.url).post('/users/me/restream-targets').set(c.auth).send(target()).expect(201),
    );
    const rows = await t.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
      'SELECT * FROM restream_targets WHERE id = $1::uuid',
      r.body.id,
    );
    expect(rows).toHaveLength(1);
    const row = defined(rows[0], 'the stored row');
    const ciphertext = Buffer.from(row.key_ciphertext as Uint8Array);
    expect(ciphertext.length).toBe(Buffer.byteLength(KEY)); // GCM: as long as the key, and not it
    expect(Buffer.from(row.key_iv as Uint8Array)).toHaveLength(12);
    expect(Buffer.from(row.key_tag as Uint8Array)).toHaveLength(16);
    const raw = Object.values(row)
      .map((v) =>
        v instanceof Uint8Array
          ? [Buffer.from(v).toString('latin1'), Buffer.from(v).toString('hex')]
          : [String(v)],
      )
      .flat()
      .join('\n');
    for (const piece of [
      KEY,
      KEY.slice(0, 12),
      Buffer.from(KEY).toString('hex'),
      Buffer.from(KEY).toString('base64'),
    ])
      expect(raw).not.toContain(piece);
    expect(row.key_hint).toBe('XyZ9');
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const c = await makeCreator(t);
    const bad: Record<string, unknown>[] = [
      target({ url: 'http://a.rtmp.youtube.com/live2' }),
      target({ url: 'srt://a.example:9000' }),
      target({ url: 'rtmp://user:pass@host/app' }),
      target({ url: 'rtmp://host/app|[f=flv]/x' }),
      target({ url: 'rtmp://host/app?key=1' }),
      target({ name: 'Bell\u0007' }),
      target({ name: '   ' }),
      target({ streamKey: `${KEY}\n` }),
      target({ streamKey: `${KEY} tail` }),
      target({ streamKey: `${KEY}|x` }),
      target({ streamKey: 'abc' }),
      target({ enabled: true }),
      { name: 'x', url: 'rtmp://host/app' },
    ];
    for (const body of bad) {
      const r = await send(request(t.url).post('/users/me/restream-targets').set(c.auth).send(body));
      expect([JSON.stringify(body), r.status]).toEqual([JSON.stringify(body), 400]);
    }
    const list = await send(request(t.url).get('/users/me/restream-targets').set(c.auth).expect(200));
    expect(list.body).toEqual([]);
    await send(request(t.url).get('/users/me/restream-targets').expect(401));
  });

  it('holds at most 5 targets, even when added at once', async () => {
    const c = await makeCreator(t);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        send(
          request(t.url)
            .post('/users/me/restream-targets')
            .set(c.auth)
            .send(target({ name: `T${i}` })),
        ),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 201, 409, 409, 409]);
    const list = await send(request(t.url).get('/users/me/restream-targets').set(c.auth).expect(200));
    expect(list.body).toHaveLength(5);
  });

  it("keeps creators apart: another's target is 404 to PATCH and DELETE", async () => {
    const a = await makeCreator(t);
    const b = await signIn(t);
    const r = await send(
      request(t.url).post('/users/me/restream-targets').set(a.auth).send(target()).expect(201),
    );
    await send(
      request(t.url)
        .patch(`/users/me/restream-targets/${r.body.id}`)
        .set(b.auth)
        .send({ enabled: false })
        .expect(404),
    );
    await send(request(t.url).delete(`/users/me/restream-targets/${r.body.id}`).set(b.auth).expect(404));
    const mine = await send(request(t.url).get('/users/me/restream-targets').set(b.auth).expect(200));
    expect(mine.body).toEqual([]);
    const still = await send(request(t.url).get('/users/me/restream-targets').set(a.auth).expect(200));
    expect(still.body[0].enabled).toBe(true);
  });

  it('no response body and no log line ever carried a key', () => {
    expect(bodies.length).toBeGreaterThan(20);
    expect(t.logs.length).toBeGreaterThan(20); // debug logging: every request was logged
    for (const secret of [KEY, 'FB-1-0-Ab?s_bl=1&a=Ab', KEY.slice(0, 12)]) {
      expect(bodies.filter((b) => b.includes(secret))).toEqual([]);
      expect(t.logs.filter((l) => l.includes(secret))).toEqual([]);
    }
  });
});
