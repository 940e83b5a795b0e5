/**
 * Mux mode of issue 12 against the stand-in Mux API (real @mux/mux-node client, signed webhooks):
 * restream targets become the live stream's simulcast targets while it is idle, a change made while
 * live waits for the next idle, and a static rendition gives the VOD post its downloadUrl.
 */
import request from 'supertest';
import type { TestApp } from './support/app';
import { addRestreamTarget, makeCreator, signIn } from './support/factories';
import { defined } from './support/indexing';
import { withMuxApp } from './support/mux-app';
import { MuxStandin, RecordedRequest, StandinLiveStream } from './support/mux-standin';

const SIMULCAST = /^\/video\/v1\/live-streams\/\w+\/simulcast-targets/;

describe('restream in Mux mode (stand-in API)', () => {
  let mux: MuxStandin;
  let t: TestApp;
  withMuxApp((s) => ({ mux, t } = s));

  const simulcastCalls = (since: number): RecordedRequest[] =>
    mux.requests.slice(since).filter((r) => SIMULCAST.test(r.path));
  const passthroughs = (ls: StandinLiveStream) => ls.simulcast_targets.map((x) => x.passthrough).sort();
  const webhook = async (type: string, ls: StandinLiveStream) =>
    expect(await mux.deliver(t.url, type, { id: ls.id, status: ls.status })).toBe(200);

  it('syncs simulcast targets while idle, holds changes made while live until the next idle', async () => {
    const c = await makeCreator(t);
    const keys = { yt: 'yt-key-SECRET-0001', tw: 'tw-key-SECRET-0002', fb: 'fb-key-SECRET-0003' };
    const add = (name: string, url: string, streamKey: string) =>
      addRestreamTarget(t, c, { name, url, streamKey });

    // No live stream yet: nothing to tell Mux.
    let mark = mux.requests.length;
    const yt = await add('YouTube', 'rtmp://a.rtmp.youtube.com/live2', keys.yt);
    expect(mux.requests.length).toBe(mark);

    // Go Live provisions the stream (with MP4 static renditions) and gives it the target.
    mark = mux.requests.length;
    const stream = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body;
    const ls = [...mux.liveStreams.values()].find((s) => s.stream_key === stream.streamKey)!;
    expect(mux.requests[mark]).toMatchObject({
      method: 'POST',
      path: '/video/v1/live-streams',
      body: { new_asset_settings: { static_renditions: [{ resolution: 'highest' }] } },
    });
    expect(simulcastCalls(mark)).toEqual([
      {
        method: 'POST',
        path: `/video/v1/live-streams/${ls.id}/simulcast-targets`,
        authorized: true,
        body: { url: 'rtmp://a.rtmp.youtube.com/live2', stream_key: keys.yt, passthrough: `vybzz:${yt.id}` },
      },
    ]);

    // Idle: a new target and a disabled one reach Mux before the answer.
    const ytMuxId = defined(ls.simulcast_targets[0], 'the YouTube simulcast target').id;
    mark = mux.requests.length;
    const tw = await add('Twitch', 'rtmps://live.twitch.tv/app', keys.tw);
    await request(t.url)
      .patch(`/users/me/restream-targets/${yt.id}`)
      .set(c.auth)
      .send({ enabled: false })
      .expect(200);
    expect(simulcastCalls(mark).map((r) => [r.method, r.path, r.body])).toEqual([
      [
        'POST',
        `/video/v1/live-streams/${ls.id}/simulcast-targets`,
        { url: 'rtmps://live.twitch.tv/app', stream_key: keys.tw, passthrough: `vybzz:${tw.id}` },
      ],
      ['DELETE', `/video/v1/live-streams/${ls.id}/simulcast-targets/${ytMuxId}`, null],
    ]);
    expect(passthroughs(ls)).toEqual([`vybzz:${tw.id}`]);

    // Live: changes wait (Mux would refuse them); the API still answers at once.
    ls.status = 'active';
    await webhook('video.live_stream.active', ls);
    mark = mux.requests.length;
    const fb = await add('Facebook', 'rtmps://live-api-s.facebook.com:443/rtmp', keys.fb);
    await request(t.url)
      .patch(`/users/me/restream-targets/${yt.id}`)
      .set(c.auth)
      .send({ enabled: true })
      .expect(200);
    await request(t.url).delete(`/users/me/restream-targets/${tw.id}`).set(c.auth).expect(204);
    expect(simulcastCalls(mark)).toEqual([]);
    expect(passthroughs(ls)).toEqual([`vybzz:${tw.id}`]);
    const row = await t.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } });
    expect(row.simulcastDirty).toBe(true);

    // The next idle applies them.
    ls.status = 'idle';
    mark = mux.requests.length;
    await webhook('video.live_stream.idle', ls);
    const calls = simulcastCalls(mark);
    expect(calls.filter((r) => r.method === 'DELETE')).toHaveLength(1);
    expect(calls.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([
      { url: 'rtmp://a.rtmp.youtube.com/live2', stream_key: keys.yt, passthrough: `vybzz:${yt.id}` },
      { url: 'rtmps://live-api-s.facebook.com:443/rtmp', stream_key: keys.fb, passthrough: `vybzz:${fb.id}` },
    ]);
    expect(calls.every((r) => r.authorized)).toBe(true);
    expect(passthroughs(ls)).toEqual([`vybzz:${yt.id}`, `vybzz:${fb.id}`].sort());
    expect((await t.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } })).simulcastDirty).toBe(
      false,
    );

    // A second idle (a retried delivery) changes nothing.
    mark = mux.requests.length;
    await webhook('video.live_stream.idle', ls);
    expect(simulcastCalls(mark)).toEqual([]);

    // Mux says active while we thought idle: refused (400), kept for the next idle, not an API error.
    ls.status = 'active';
    mark = mux.requests.length;
    await request(t.url).delete(`/users/me/restream-targets/${fb.id}`).set(c.auth).expect(204);
    expect(simulcastCalls(mark).map((r) => r.method)).toEqual(['DELETE']);
    expect(passthroughs(ls)).toHaveLength(2);
    expect((await t.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } })).simulcastDirty).toBe(
      true,
    );
    ls.status = 'idle';
    await webhook('video.live_stream.idle', ls);
    expect(passthroughs(ls)).toEqual([`vybzz:${yt.id}`]);

    // The keys went to Mux only: never in a response or a log line.
    const listed = await request(t.url).get('/users/me/restream-targets').set(c.auth).expect(200);
    const seen = JSON.stringify(listed.body) + t.logs.join('\n');
    for (const k of Object.values(keys)) expect(seen).not.toContain(k);
    expect(listed.body.map((x: { keyHint: string }) => x.keyHint)).toEqual(['0001']);
  });

  it('a static rendition gives the VOD post its downloadUrl, whichever event comes first', async () => {
    const c = await makeCreator(t);
    const fan = await signIn(t);
    const stream = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body;
    const ls = [...mux.liveStreams.values()].find((s) => s.stream_key === stream.streamKey)!;
    const asset = (id: string, pb: string) => ({
      id,
      live_stream_id: ls.id,
      status: 'ready',
      duration: 30.1,
      playback_ids: [{ id: pb, policy: 'public' }],
      static_renditions: { files: [{ name: 'highest.mp4', ext: 'mp4', status: 'preparing' }] },
    });
    const rendition = (assetId: string) => ({
      id: `r-${assetId}`,
      asset_id: assetId,
      name: 'highest.mp4',
      ext: 'mp4',
      status: 'ready',
      resolution: 'highest',
    });
    const post = (assetId: string) => t.prisma.post.findUniqueOrThrow({ where: { assetId } });

    // The asset first: a post without a download, then the rendition sets it (twice is once).
    const a1 = `asset${Date.now()}a`;
    expect(await mux.deliver(t.url, 'video.asset.live_stream_completed', asset(a1, 'pbOne'))).toBe(200);
    expect((await post(a1)).downloadUrl).toBeNull();
    expect(await mux.deliver(t.url, 'video.asset.static_rendition.ready', rendition(a1))).toBe(200);
    expect((await post(a1)).downloadUrl).toBe('https://stream.mux.com/pbOne/highest.mp4');
    expect(await mux.deliver(t.url, 'video.asset.static_rendition.ready', rendition(a1))).toBe(200);
    expect(await t.prisma.post.count({ where: { assetId: a1 } })).toBe(1);

    // The rendition first (no post yet), then the asset: the post gets it when it is made.
    const a2 = `asset${Date.now()}b`;
    expect(await mux.deliver(t.url, 'video.asset.static_rendition.ready', rendition(a2))).toBe(200);
    expect(await mux.deliver(t.url, 'video.asset.live_stream_completed', asset(a2, 'pbTwo'))).toBe(200);
    const p2 = await post(a2);
    expect(p2.downloadUrl).toBe('https://stream.mux.com/pbTwo/highest.mp4');

    // The author may download (redirect); others get 403 and no link, until downloads are allowed.
    const dl = await request(t.url).get(`/posts/${p2.id}/download`).set(c.auth).expect(302);
    expect(dl.headers.location).toBe('https://stream.mux.com/pbTwo/highest.mp4');
    await request(t.url).get(`/posts/${p2.id}/download`).set(fan.auth).expect(403);
    expect(
      (await request(t.url).get(`/posts/${p2.id}`).set(fan.auth).expect(200)).body.downloadUrl,
    ).toBeUndefined();
    await request(t.url)
      .put('/users/me/creator-profile')
      .set(c.auth)
      .send({ handle: c.handle, displayName: 'Keeper', allowDownloads: true })
      .expect(200);
    const again = await request(t.url).get(`/posts/${p2.id}/download`).set(fan.auth).expect(302);
    expect(again.headers.location).toBe('https://stream.mux.com/pbTwo/highest.mp4');
    expect((await request(t.url).get(`/posts/${p2.id}`).expect(200)).body.downloadUrl).toBe(
      'https://stream.mux.com/pbTwo/highest.mp4',
    );
  });
});
