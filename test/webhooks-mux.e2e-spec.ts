import request from 'supertest';
import { startApp, TestApp } from './support/app';
import {
  assetEvent,
  deliverMux,
  Delivery,
  liveStreamEvent,
  muxEnv,
  muxEvent,
  muxSignature,
  nowSec,
} from './support/mux-webhooks';
import { makeMuxStream } from './support/stream-factory';
import { muxWebhookStats } from './support/webhook-failures';

/** Signed deliveries against the real app: only valid ones change anything, refusals are 4xx. */
describe('POST /webhooks/mux: verification', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(muxEnv());
  });
  afterAll(() => t.close());

  const counts = async () => ({
    events: await t.prisma.webhookEvent.count(),
    live: await t.prisma.liveStream.count({ where: { isLive: true } }),
    posts: await t.prisma.post.count(),
  });

  it('applies a valid delivery once, stores it by event id, and acknowledges a duplicate', async () => {
    const { stream } = await makeMuxStream(t);
    const ev = liveStreamEvent('active', stream.providerStreamId);
    const res = await deliverMux(t.url, ev);
    expect(res).toEqual({ status: 200, body: { id: ev.id, result: 'processed' } });
    const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: ev.id } });
    expect(row).toMatchObject({
      source: 'mux',
      type: 'video.live_stream.active',
      objectId: stream.providerStreamId,
      attempts: 0,
      lastError: null,
    });
    expect(row.processedAt).toBeInstanceOf(Date);
    expect(row.eventCreatedAt.toISOString()).toBe(ev.created_at.replace('000Z', 'Z'));
    expect(row.payload).toEqual(ev);
    const live = await t.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } });
    expect(live).toMatchObject({ status: 'ACTIVE', isLive: true });

    const again = await deliverMux(t.url, ev);
    expect(again).toEqual({ status: 200, body: { id: ev.id, result: 'duplicate' } });
    expect(await t.prisma.webhookEvent.count({ where: { id: ev.id } })).toBe(1);
  });

  it('accepts a signature a little in the future (within WEBHOOK_MAX_SKEW_SEC)', async () => {
    const { stream } = await makeMuxStream(t);
    const ev = liveStreamEvent('connected', stream.providerStreamId);
    const res = await deliverMux(t.url, ev, { t: nowSec() + 60 });
    expect(res.status).toBe(200);
    expect((await t.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } })).status).toBe(
      'CONNECTED',
    );
  });

  describe('refusals write nothing', () => {
    let streamId: string;
    let providerStreamId: string;
    beforeAll(async () => {
      const { stream } = await makeMuxStream(t);
      streamId = stream.id;
      providerStreamId = stream.providerStreamId;
    });

    const expectUntouched = async (before: Awaited<ReturnType<typeof counts>>) => {
      expect(await counts()).toEqual(before);
      const s = await t.prisma.liveStream.findUniqueOrThrow({ where: { id: streamId } });
      expect(s).toMatchObject({ status: 'IDLE', isLive: false, stateChangedAt: null });
    };

    const refusals: [string, () => Promise<Delivery>, number][] = [
      [
        'a wrong signature',
        () => deliverMux(t.url, liveStreamEvent('active', providerStreamId), { secret: 'not-the-secret' }),
        401,
      ],
      [
        'a tampered body',
        async () => {
          const body = JSON.stringify(liveStreamEvent('active', providerStreamId));
          const sig = muxSignature(body);
          return deliverMux(t.url, body.replace('"active"', '"idle"'), { signature: sig });
        },
        401,
      ],
      [
        'a 10-minute-old signature',
        () => deliverMux(t.url, liveStreamEvent('active', providerStreamId), { t: nowSec() - 600 }),
        401,
      ],
      [
        'a signature 10 minutes in the future',
        () => deliverMux(t.url, liveStreamEvent('active', providerStreamId), { t: nowSec() + 600 }),
        401,
      ],
      [
        'no signature',
        () => deliverMux(t.url, liveStreamEvent('active', providerStreamId), { signature: null }),
        401,
      ],
      [
        'a signature without v1',
        () => deliverMux(t.url, liveStreamEvent('active', providerStreamId), { signature: `t=${nowSec()}` }),
        401,
      ],
      [
        'a non-numeric t that the signature covers',
        async () => {
          const body = JSON.stringify(liveStreamEvent('active', providerStreamId));
          const good = muxSignature(body, { t: 123 }).split(',')[1];
          return deliverMux(t.url, body, { signature: `t=123abc,${good}` });
        },
        401,
      ],
      [
        'malformed JSON with a valid signature',
        () => deliverMux(t.url, '{"type": "video.live_stream.active", "id": '),
        400,
      ],
      ['a JSON array with a valid signature', () => deliverMux(t.url, '[]'), 400],
      [
        'an object that is not a Mux event, validly signed',
        () =>
          deliverMux(t.url, { id: 'x1', type: 'video.live_stream.active', data: { id: providerStreamId } }),
        400,
      ],
      [
        'a validly signed Mux event that PostgreSQL cannot store (a NUL character)',
        () => deliverMux(t.url, liveStreamEvent('active', `${providerStreamId}\u0000`)),
        400,
      ],
      [
        'a Mux event with a bad created_at, validly signed',
        () => deliverMux(t.url, { ...liveStreamEvent('active', providerStreamId), created_at: 'soon' }),
        400,
      ],
    ];

    it.each(refusals)('refuses %s', async (_name, send, status) => {
      const before = await counts();
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({
        statusCode: status,
        error: status === 401 ? 'Unauthorized' : 'Bad Request',
        message: expect.any(String),
      });
      await expectUntouched(before);
    });

    it('an unstorable event arriving with others fails alone', async () => {
      const { stream } = await makeMuxStream(t);
      const before = await t.prisma.webhookEvent.count();
      const good = ['connected', 'active'].map((s, i) =>
        liveStreamEvent(
          s as 'connected' | 'active',
          stream.providerStreamId,
          new Date(Date.now() - 1000 + i),
        ),
      );
      const bad = liveStreamEvent('idle', `${stream.providerStreamId}\u0000`);
      const results = await Promise.all([...good, bad].map((e) => deliverMux(t.url, e)));
      expect(results.map((r) => r.status)).toEqual([200, 200, 400]);
      expect(await t.prisma.webhookEvent.count()).toBe(before + 2);
      expect(await t.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } })).toMatchObject({
        status: 'ACTIVE',
      });
    });

    it('refuses a body that is not JSON at all (no rawBody) with 400', async () => {
      const before = await counts();
      const body = JSON.stringify(liveStreamEvent('active', providerStreamId));
      const res = await request(t.url)
        .post('/webhooks/mux')
        .set('content-type', 'text/plain')
        .set('mux-signature', muxSignature(body))
        .send(body);
      expect(res.status).toBe(400);
      await expectUntouched(before);
    });

    it('counted every refusal', () => {
      // The malformed JSON never reaches us (the body parser answers 400); the unstorable one of the
      // mixed batch and the text/plain body do.
      expect(muxWebhookStats(t).refused).toBe(refusals.length - 1 + 2);
    });
  });

  it('stores and acknowledges an unknown event type without changing anything', async () => {
    const { stream } = await makeMuxStream(t);
    const ev = muxEvent('video.upload.asset_created', { id: stream.providerStreamId, asset_id: 'a1' });
    const res = await deliverMux(t.url, ev);
    expect(res).toEqual({ status: 200, body: { id: ev.id, result: 'processed' } });
    const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: ev.id } });
    expect(row.processedAt).not.toBeNull();
    expect(await t.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } })).toMatchObject({
      status: 'IDLE',
      stateChangedAt: null,
    });
  });

  it('stores and acknowledges events for a live stream we do not know', async () => {
    const before = await counts();
    const a = liveStreamEvent('active', 'ls-not-ours');
    const b = assetEvent('video.asset.ready', {
      assetId: 'asset-not-ours',
      liveStreamId: 'ls-not-ours',
      playbackId: 'pb-not-ours',
      durationSec: 3,
    });
    expect((await deliverMux(t.url, a)).status).toBe(200);
    expect((await deliverMux(t.url, b)).status).toBe(200);
    expect(await counts()).toEqual({ ...before, events: before.events + 2 });
    const rows = await t.prisma.webhookEvent.findMany({ where: { id: { in: [a.id, b.id] } } });
    expect(rows.every((r) => r.processedAt !== null && r.lastError === null)).toBe(true);
  });

  it('counts outcomes for /metrics', async () => {
    const s = muxWebhookStats(t);
    expect(s.failed).toBe(0);
    expect(s.stored).toBe(await t.prisma.webhookEvent.count({ where: { source: 'mux' } }));
    expect(s.duplicate).toBeGreaterThanOrEqual(1);
    expect(s.ignored).toBeGreaterThanOrEqual(3);
    const metrics = await request(t.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/vybzz_webhook_deliveries_total\{source="mux",outcome="refused"\} [1-9]/);
  });
});
