/**
 * Admission limits of the ingest socket (issue 16, items 10 and 13), each refusal with its close
 * code or HTTP answer: unauthenticated sockets per address, half-sent upgrades, hellos per user,
 * the global pipeline cap, and floods of tiny frames.
 */
import request from 'supertest';
import { startApp, type TestApp } from './support/app';
import { eventually } from './support/eventually';
import { makeCreator } from './support/factories';
import { defined } from './support/indexing';
import { Publisher } from './support/ingest-client';
import { openRaw, readStatus, upgradeRequest } from './support/raw-http';
import { loadFixture } from './support/record-webm';

const fx = loadFixture('h264-720p');

describe('ingest admission limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({
      INGEST_PREAUTH_SOCKETS_PER_IP: '3',
      UPGRADE_TIMEOUT_MS: '1000',
      INGEST_PUBLISHES_PER_USER_PER_MINUTE: '2',
      MAX_PIPELINES: '1',
      INGEST_MAX_MESSAGES_PER_SECOND: '5',
    });
  });
  afterAll(() => t.close());

  async function creatorWithKey() {
    const c = await makeCreator(t);
    const key = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body
      .streamKey as string;
    return { ...c, key };
  }

  it('caps sockets that have not authenticated per address (4029), and frees the slot on close', async () => {
    const open = await Promise.all([1, 2, 3].map(() => Publisher.connect(t.wsUrl, 'waiting-for-hello')));
    const fourth = await Publisher.connect(t.wsUrl, 'waiting-for-hello');
    expect(await fourth.closed).toMatchObject({
      code: 4029,
      reason: expect.stringContaining('unauthenticated'),
    });
    const closing = defined(open[0], 'an unauthenticated socket');
    closing.ws.close();
    await closing.closed;
    await new Promise((r) => setTimeout(r, 50));
    const again = await Publisher.connect(t.wsUrl, 'waiting-for-hello');
    expect(again.ws.readyState).toBe(again.ws.OPEN);
    for (const p of [...open, again]) p.ws.terminate();
  });

  it('counts the client behind a trusted proxy (X-Forwarded-For), not the proxy, per address', async () => {
    // TRUST_PROXY defaults to loopback, and these sockets come from 127.0.0.1: a proxy on this host
    const xff = (ip: string) => ({ 'X-Forwarded-For': ip });
    const others = await Promise.all(
      [1, 2, 3, 4].map((i) => Publisher.connect(t.wsUrl, 'waiting-for-hello', xff(`203.0.113.${i}`))),
    );
    for (const p of others) expect(p.ws.readyState).toBe(p.ws.OPEN);
    const same = await Promise.all(
      [1, 2, 3].map(() => Publisher.connect(t.wsUrl, 'waiting-for-hello', xff('198.51.100.9'))),
    );
    const fourth = await Publisher.connect(t.wsUrl, 'waiting-for-hello', xff('198.51.100.9'));
    expect(await fourth.closed).toMatchObject({ code: 4029 });
    for (const p of [...others, ...same]) p.ws.terminate();
    await new Promise((r) => setTimeout(r, 100));
  });

  it('closes a half-sent upgrade after UPGRADE_TIMEOUT_MS instead of holding it for a minute', async () => {
    const s = await openRaw(t.url);
    s.write(upgradeRequest('/stream/live/abcdefgh12').slice(0, 60)); // headers never finish
    const res = await readStatus(s, 15_000);
    expect(res.ms).toBeLessThan(5_000);
    expect(res.status === 408 || res.status === null).toBe(true);
  });

  it('throttles hellos per user (4029)', async () => {
    const me = await makeCreator(t);
    const other = await creatorWithKey();
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await Publisher.connect(t.wsUrl, other.key);
      p.hello(me.token, fx.mimeType);
      codes.push((await p.closed).code);
    }
    expect(codes).toEqual([4003, 4003, 4029]);
  });

  it('refuses a publisher beyond MAX_PIPELINES with 4503 and a clear reason; a flood of tiny frames gets 4029', async () => {
    const a = await creatorWithKey();
    const b = await creatorWithKey();
    const pa = await Publisher.connect(t.wsUrl, a.key);
    pa.hello(a.token, fx.mimeType);
    await pa.ready;
    const pb = await Publisher.connect(t.wsUrl, b.key);
    pb.hello(b.token, fx.mimeType);
    expect(await pb.closed).toMatchObject({ code: 4503, reason: expect.stringContaining('capacity') });
    // the live publisher now floods: 5 messages a second are allowed (bursts of 10), 200 tiny ones are not
    pa.ws.send(defined(fx.chunks[0], 'the fixture’s first chunk'));
    const next = defined(fx.chunks[1], 'the fixture’s second chunk'); // valid media, cut into 8-byte frames
    for (let i = 0; i < 200 && i * 8 < next.length; i++) pa.ws.send(next.subarray(i * 8, i * 8 + 8));
    expect(await pa.closed).toMatchObject({
      code: 4029,
      reason: expect.stringContaining('messages per second'),
    });
  });

  it('MAX_PIPELINES holds when hellos arrive at once (admissions run concurrently; INGEST_PREAUTH_SOCKETS_PER_IP is 3)', async () => {
    await eventually('the previous pipeline to end', async () =>
      / 0$/m.test(
        (await request(t.url).get('/metrics')).text
          .split('\n')
          .find((l) => l.startsWith('vybzz_ingest_active_pipelines')) ?? '',
      ),
    );
    const creators = await Promise.all([1, 2, 3].map(() => creatorWithKey()));
    const pubs = await Promise.all(creators.map((c) => Publisher.connect(t.wsUrl, c.key)));
    pubs.forEach((p, i) => p.hello(defined(creators[i], `creator ${i}`).token, fx.mimeType));
    const outcome = await Promise.all(
      pubs.map((p) => Promise.race([p.ready.then(() => 'ready'), p.closed.then((c) => String(c.code))])),
    );
    expect(outcome.filter((o) => o === 'ready')).toHaveLength(1);
    expect(outcome.filter((o) => o === '4503')).toHaveLength(2);
    for (const p of pubs) p.ws.close(1000);
    await Promise.all(pubs.map((p) => p.closed));
  });
});
