/**
 * One broadcast across a reconnect in Mux mode: the app asks Mux for a reconnect window, a publisher
 * whose socket is lost comes back inside it (a new RTMP publish, a new WebM stream), and Mux — the
 * stand-in following the real nginx-rtmp receiver — keeps ONE asset, which becomes ONE VOD post.
 */
import request from 'supertest';
import type { TestApp } from './support/app';
import { makeCreator } from './support/factories';
import { eventually } from './support/eventually';
import { decodeErrors } from './support/ffprobe';
import { Publisher } from './support/ingest-client';
import { MuxBroadcasts } from './support/mux-broadcasts';
import { type MuxApp, startMuxApp, type WithRtmp } from './support/mux-app';
import type { MuxStandin } from './support/mux-standin';
import { loadFixture } from './support/record-webm';
import type { RtmpReceiver } from './support/rtmp-receiver';

const h264 = loadFixture('h264-720p');
const h264Low = loadFixture('h264-360p');

function vodPosts(t: TestApp, handle: string): Promise<{ kind: string; playbackId: string }[]> {
  return eventually('a VOD post', async () => {
    const r = await request(t.url).get('/posts').query({ creator: handle });
    const vods = (r.body.items as { kind: string; playbackId: string }[]).filter((i) => i.kind === 'VOD');
    return vods.length ? vods : undefined;
  });
}

describe('one broadcast across a reconnect (Mux provider, stand-in API, nginx-rtmp)', () => {
  let setup: WithRtmp<MuxApp>;
  let mux: MuxStandin;
  let rtmp: RtmpReceiver;
  let t: TestApp;
  let broadcasts: MuxBroadcasts;
  beforeAll(async () => {
    setup = await startMuxApp({ rtmp: true, env: { RECONNECT_WINDOW_SEC: '30' } });
    ({ mux, rtmp, t } = setup);
    broadcasts = new MuxBroadcasts(mux, rtmp, t.url);
    broadcasts.start();
  });
  afterAll(async () => {
    await broadcasts?.stop();
    await setup?.close();
  });

  it('a lost socket and a reconnect: one Mux asset, one VOD post', async () => {
    const c = await makeCreator(t);
    const stream = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body;
    const ls = [...mux.liveStreams.values()].find((l) => l.stream_key === stream.streamKey)!;
    expect(ls.reconnect_window).toBe(30);

    const first = await Publisher.connect(t.wsUrl, stream.streamKey);
    first.hello(c.token, h264.mimeType);
    await first.ready;
    await first.sendChunks(h264.chunks, h264.arrivalMs);
    await first.waitFor((m) => (m.stream as { isLive?: boolean } | undefined)?.isLive === true);
    first.ws.terminate();
    await first.closed;
    // Not complete: Mux keeps the broadcast open for the reconnect.
    await eventually('the publish to end', () =>
      rtmp.events(stream.streamKey).some((e) => e.kind === 'publish_done'),
    );
    expect(ls.completed).toBe(false);

    const second = await Publisher.connect(t.wsUrl, stream.streamKey);
    second.hello(c.token, h264Low.mimeType);
    await second.ready;
    await second.sendChunks(h264Low.chunks, h264Low.arrivalMs);
    await second.close();

    const [asset] = await eventually('Mux’s asset', () =>
      broadcasts.assets.length ? broadcasts.assets : null,
    );
    expect(asset).toMatchObject({ liveStreamId: ls.id, publishes: 2 });
    expect(broadcasts.failedDeliveries).toEqual([]);
    const recordings = await rtmp.waitForCompleteRecordings(2, stream.streamKey, 20_000);
    for (const r of recordings) expect(await decodeErrors(r.path)).toBe('');

    const posts = await vodPosts(t, c.handle);
    expect(posts).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(broadcasts.assets).toHaveLength(1);
    const row = await t.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } });
    expect(row).toMatchObject({ status: 'IDLE', isLive: false });
  }, 90_000);
});
