/**
 * Issue 16, item 10: bad tokens are throttled per address. Past SIGN_IN_FAILURES_PER_IP_PER_MINUTE
 * failed sign-ins, that address's bad tokens get 429 with Retry-After (HTTP) or close 4029 with a
 * reason (ingest hello). Good tokens from the same address keep working: many creators behind one
 * address are not hurt by a neighbour spraying bad tokens.
 */
import request from 'supertest';
import { startApp, type TestApp } from './support/app';
import { makeCreator } from './support/factories';
import { defined } from './support/indexing';
import { Publisher } from './support/ingest-client';
import { loadFixture } from './support/record-webm';

const fx = loadFixture('h264-720p');

describe('failed sign-ins per address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ SIGN_IN_FAILURES_PER_IP_PER_MINUTE: '5', MAX_PIPELINES: '50' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After past the limit; good tokens from the same address still pass', async () => {
    const creators = await Promise.all(Array.from({ length: 12 }, () => makeCreator(t)));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await request(t.url).get('/users/me').set('Authorization', `Bearer bad-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const throttled = await request(t.url).get('/users/me').set('Authorization', 'Bearer bad-again');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(throttled.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(throttled.body.message).toMatch(/too many failed sign-ins/);
    // every creator behind this address, with a good token, is unaffected
    const good = await Promise.all(creators.map((c) => request(t.url).get('/users/me').set(c.auth)));
    expect(good.map((r) => r.status)).toEqual(creators.map(() => 200));
    // a public route with a stale token is just anonymous, not refused
    await request(t.url).get('/posts').set('Authorization', 'Bearer stale').expect(200);

    // the ingest socket: a bad hello from this address closes 4029 with the reason…
    const bad = await Publisher.connect(t.wsUrl, 'whatever-key-1234');
    bad.hello('not-a-token', fx.mimeType);
    expect(await bad.closed).toMatchObject({
      code: 4029,
      reason: expect.stringContaining('too many failed sign-ins'),
    });
    // …while creators with good tokens are admitted from the same address
    const c = defined(creators[0], 'a creator');
    const key = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body
      .streamKey as string;
    const p = await Publisher.connect(t.wsUrl, key);
    p.hello(c.token, fx.mimeType);
    await p.ready;
    p.ws.close(1000);
    await p.closed;
  });
});
