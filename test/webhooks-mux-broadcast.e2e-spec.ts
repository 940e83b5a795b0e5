import request from 'supertest';
import { startApp, TestApp } from './support/app';
import { makeCreator } from './support/factories';
import { assetEvent, deliverMux, liveStreamEvent, muxEnv } from './support/mux-webhooks';
import { makeMuxStream } from './support/stream-factory';

/** Signed Mux deliveries carry a broadcast from live to its VOD post; the local provider has no Mux webhook. */
describe('POST /webhooks/mux: a broadcast from live to its VOD post (seed steps 12–16)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(muxEnv());
  });
  afterAll(() => t.close());

  it('active → live; idle → not live; asset ready → one VOD post on the creator page', async () => {
    const creator = await makeCreator(t);
    const { stream } = await makeMuxStream(t, creator);
    const start = Date.now() - 120_000;
    const at = (s: number) => new Date(start + s * 1000);

    // 12–13: Mux reports the stream active; its asset is playable as DVR already (is_live), not a VOD yet.
    const asset = {
      assetId: 'asset-seed-1',
      liveStreamId: stream.providerStreamId,
      playbackId: 'vodpb1',
      durationSec: 58.4,
    };
    const dvr = assetEvent('video.asset.ready', { ...asset, durationSec: 1.5 }, at(3));
    dvr.data.is_live = true;
    expect(
      (await deliverMux(t.url, liveStreamEvent('connected', stream.providerStreamId, at(0)))).status,
    ).toBe(200);
    expect((await deliverMux(t.url, liveStreamEvent('active', stream.providerStreamId, at(2)))).status).toBe(
      200,
    );
    expect((await deliverMux(t.url, dvr)).status).toBe(200);
    expect(await t.prisma.post.count({ where: { assetId: asset.assetId } })).toBe(0);
    const live = await request(t.url).get(`/stream/${stream.id}`).expect(200);
    expect(live.body).toMatchObject({
      id: stream.id,
      status: 'ACTIVE',
      isLive: true,
      playbackId: stream.playbackId,
    });
    expect(live.body.streamKey).toBeUndefined();
    const page = await request(t.url).get(`/creators/${creator.handle}`).expect(200);
    expect(page.body.liveStream).toMatchObject({
      id: stream.id,
      isLive: true,
      playbackUrl: stream.playbackUrl,
    });

    // 14: the broadcast ends; Mux reports disconnected, then idle.
    expect(
      (await deliverMux(t.url, liveStreamEvent('disconnected', stream.providerStreamId, at(60)))).status,
    ).toBe(200);
    expect((await deliverMux(t.url, liveStreamEvent('idle', stream.providerStreamId, at(65)))).status).toBe(
      200,
    );
    const ended = await request(t.url).get(`/stream/${stream.id}`).expect(200);
    expect(ended.body).toMatchObject({ status: 'IDLE', isLive: false });
    expect(new Date(ended.body.startedAt as string).getTime()).toBe(at(2).getTime());
    expect(new Date(ended.body.endedAt as string).getTime()).toBe(at(65).getTime());
    const page2 = await request(t.url).get(`/creators/${creator.handle}`).expect(200);
    expect(page2.body.liveStream).toMatchObject({ id: stream.id, isLive: false });

    // 15–16: the recording is complete; both asset events arrive, one VOD post appears.
    expect((await deliverMux(t.url, assetEvent('video.asset.ready', asset, at(70)))).status).toBe(200);
    expect(
      (await deliverMux(t.url, assetEvent('video.asset.live_stream_completed', asset, at(71)))).status,
    ).toBe(200);
    const posts = await request(t.url).get(`/posts?creator=${creator.handle}`).expect(200);
    expect(posts.body.items).toHaveLength(1);
    expect(posts.body.items[0]).toMatchObject({
      kind: 'VOD',
      playbackId: 'vodpb1',
      playbackUrl: 'https://stream.mux.com/vodpb1.m3u8',
      durationSec: 58.4,
      creator: { handle: creator.handle },
    });
    expect(await t.prisma.post.count({ where: { assetId: 'asset-seed-1' } })).toBe(1);

    // A late, older "active" does not bring the stream back.
    expect((await deliverMux(t.url, liveStreamEvent('active', stream.providerStreamId, at(30)))).status).toBe(
      200,
    );
    expect((await request(t.url).get(`/stream/${stream.id}`).expect(200)).body.isLive).toBe(false);
  });
});

describe('POST /webhooks/mux with the local media provider', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('answers 404 and writes nothing', async () => {
    const res = await deliverMux(t.url, liveStreamEvent('active', 'ls1'));
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });
});
