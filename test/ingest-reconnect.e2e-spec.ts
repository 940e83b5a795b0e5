/**
 * One broadcast whatever the network does (local provider, real FFmpeg, real `ws` publishers): a
 * socket lost without Stop Streaming keeps the broadcast open for the reconnect window, the same
 * publisher continues it (one HLS recording with a discontinuity, one VOD post), and it ends when
 * the window passes. And a database blip at the end of a broadcast never costs its recording.
 */
import request from 'supertest';
import { LiveStateService } from '../src/streams/live-state.service';
import { startApp, TestApp } from './support/app';
import { makeCreator } from './support/factories';
import { eventually } from './support/eventually';
import { decodeErrors } from './support/ffprobe';
import { defined } from './support/indexing';
import { Publisher } from './support/ingest-client';
import { loadFixture, recordingSeconds } from './support/record-webm';

const h264 = loadFixture('h264-720p');
const h264Low = loadFixture('h264-360p');
const WINDOW_SEC = 4;

interface Vod {
  kind: string;
  durationSec: number;
  playbackUrl: string;
}

async function vods(t: TestApp, handle: string): Promise<Vod[]> {
  const r = await request(t.url).get('/posts').query({ creator: handle }).expect(200);
  return (r.body.items as Vod[]).filter((i) => i.kind === 'VOD');
}

function waitForVods(t: TestApp, handle: string, count: number): Promise<Vod[]> {
  return eventually(`${count} VOD posts`, async () => {
    const found = await vods(t, handle);
    if (found.length < count) throw new Error(`have ${found.length}`);
    return found;
  });
}

async function publish(t: TestApp, key: string, token: string, fixture = h264): Promise<Publisher> {
  const p = await Publisher.connect(t.wsUrl, key);
  p.hello(token, fixture.mimeType);
  await p.ready;
  await p.sendChunks(fixture.chunks, fixture.arrivalMs);
  return p;
}

/** The socket dies without a close frame (the network dropped it): the server sees 1006. */
async function drop(p: Publisher): Promise<void> {
  p.ws.terminate();
  await p.closed;
}

describe('one broadcast across reconnects (local provider)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ RECONNECT_WINDOW_SEC: String(WINDOW_SEC) });
  });
  afterAll(() => t.close());

  it('a lost socket and a reconnect inside the window: the same broadcast, one recording, one VOD post', async () => {
    const c = await makeCreator(t);
    const stream = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body;
    const first = await publish(t, stream.streamKey, c.token);
    await first.waitFor((m) => (m.stream as { isLive?: boolean } | undefined)?.isLive === true);
    const startedAt = (await request(t.url).get(`/stream/${stream.id}`).expect(200)).body.startedAt;
    await drop(first);
    // Still live while the creator may come back: no end, no post.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await request(t.url).get(`/stream/${stream.id}`).expect(200)).body).toMatchObject({
      isLive: true,
      status: 'ACTIVE',
      endedAt: null,
    });
    expect(await vods(t, c.handle)).toEqual([]);

    const second = await publish(t, stream.streamKey, c.token, h264Low);
    expect(second.messages.find((m) => m.type === 'ready')).toMatchObject({ streamId: stream.id });
    expect((await second.close()).code).toBe(1000);

    const vod = defined((await waitForVods(t, c.handle, 1))[0], 'the VOD post');
    const sent = recordingSeconds(h264) + recordingSeconds(h264Low);
    expect(vod.durationSec).toBeGreaterThan(sent - 2);
    expect(vod.durationSec).toBeLessThan(sent + 2.5);
    const playlist = (await request(t.url).get(vod.playbackUrl).expect(200)).text;
    expect(playlist.slice(playlist.indexOf('#EXTINF')).match(/#EXT-X-DISCONTINUITY\n/g)).toHaveLength(1);
    expect(await decodeErrors(`${t.url}${vod.playbackUrl}`)).toBe('');
    const after = (await request(t.url).get(`/stream/${stream.id}`).expect(200)).body;
    expect(after).toMatchObject({ isLive: false, status: 'IDLE', startedAt });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await vods(t, c.handle)).toHaveLength(1);
  }, 60_000);

  it('the broadcast ends when the window passes without a reconnect; the next one is new', async () => {
    const c = await makeCreator(t);
    const stream = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body;
    const first = await publish(t, stream.streamKey, c.token);
    const lostAt = Date.now();
    await drop(first);
    const vod = defined((await waitForVods(t, c.handle, 1))[0], 'the VOD post');
    const endedAfter = (Date.now() - lostAt) / 1000;
    expect(endedAfter).toBeGreaterThanOrEqual(WINDOW_SEC);
    expect(endedAfter).toBeLessThan(WINDOW_SEC + 8);
    expect(vod.durationSec).toBeGreaterThan(recordingSeconds(h264) - 2);
    expect((await request(t.url).get(`/stream/${stream.id}`).expect(200)).body.status).toBe('IDLE');

    const next = await publish(t, stream.streamKey, c.token, h264Low);
    await next.close();
    const both = await waitForVods(t, c.handle, 2);
    expect(both.map((v) => v.playbackUrl)).not.toContain(undefined);
    const newest = defined(both[0], 'the newest VOD post');
    expect(newest.durationSec).toBeLessThan(recordingSeconds(h264Low) + 2.5);
  }, 60_000);

  it('a database blip when a broadcast ends, then going live again at once: both recordings become posts', async () => {
    const c = await makeCreator(t);
    const stream = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body;
    const live = t.app.get(LiveStateService);
    const apply = live.applyChange.bind(live);
    let blips = 0;
    const spy = jest.spyOn(live, 'applyChange').mockImplementation(async (id, change, at) => {
      if (change === 'idle' && blips++ === 0) throw new Error('Connection terminated unexpectedly');
      return apply(id, change, at);
    });
    try {
      const first = await publish(t, stream.streamKey, c.token);
      await first.close();
      await new Promise((r) => setTimeout(r, 300));
      expect(blips).toBe(1);
      // Going live again before anything swept up after the failed end.
      const second = await publish(t, stream.streamKey, c.token, h264Low);
      await second.close();
      const found = await waitForVods(t, c.handle, 2);
      const durations = found.map((v) => v.durationSec).sort((a, b) => a - b);
      expect(durations[0]).toBeGreaterThan(recordingSeconds(h264Low) - 2);
      expect(durations[1]).toBeGreaterThan(recordingSeconds(h264) - 2);
      for (const v of found) expect(await decodeErrors(`${t.url}${v.playbackUrl}`)).toBe('');
    } finally {
      spy.mockRestore();
    }
  }, 60_000);
});
