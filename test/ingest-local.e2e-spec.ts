/**
 * Going live in local mode, end to end: a real ws publisher sends real Chromium MediaRecorder chunks,
 * real FFmpeg writes HLS, the local provider reports live/idle, and the recording becomes a VOD post.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import WebSocket from 'ws';
import { autogroupOf, ffmpegDescendants } from './support/ffmpeg-processes';
import { startApp, TestApp } from './support/app';
import { makeCreator, signIn } from './support/factories';
import { eventually } from './support/eventually';
import { decodeErrors, probe } from './support/ffprobe';
import { defined } from './support/indexing';
import { Publisher } from './support/ingest-client';
import { loadFixture, loopFixture, recordingSeconds } from './support/record-webm';

const h264 = loadFixture('h264-720p');

const ffmpegChildren = (): number[] => ffmpegDescendants();

describe('go live (local provider)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The default, said here: one assertion below is about the spawner.
    t = await startApp({ FFMPEG_SPAWNER: 'session' });
  });
  afterAll(() => t.close());

  it('creates a stream only for creators, and shows the key to its owner only', async () => {
    const fan = await signIn(t);
    await request(t.url).post('/stream/create').set(fan.auth).send({}).expect(403);
    await request(t.url).post('/stream/create').send({}).expect(401);
    const c = await makeCreator(t);
    await request(t.url).post('/stream/create').set(c.auth).send({ title: 'x', bitrate: 5 }).expect(400);
    const res = await request(t.url)
      .post('/stream/create')
      .set(c.auth)
      .send({ title: 'Morning show' })
      .expect(201);
    expect(res.body).toMatchObject({
      status: 'IDLE',
      isLive: false,
      title: 'Morning show',
      ingestPath: `/stream/live/${res.body.streamKey}`,
    });
    expect(res.body.playbackUrl).toMatch(/^\/media\/live\/[\w-]+\/index\.m3u8$/);
    const again = await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201);
    expect(again.body.id).toBe(res.body.id); // one reusable stream per creator
    const pub = await request(t.url).get(`/stream/${res.body.id}`).expect(200);
    expect(pub.body.streamKey).toBeUndefined();
    expect((await request(t.url).get(`/stream/${res.body.id}`).set(c.auth).expect(200)).body.streamKey).toBe(
      res.body.streamKey,
    );
    await request(t.url).get('/stream/not-a-uuid').expect(400);
    await request(t.url).get('/stream/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('publishes a Chromium H.264 recording: live while streaming, then a VOD post that decodes cleanly', async () => {
    const c = await makeCreator(t);
    const stream = (
      await request(t.url).post('/stream/create').set(c.auth).send({ title: 'Live test' }).expect(201)
    ).body;
    const p = await Publisher.connect(t.wsUrl, stream.streamKey);
    p.hello(c.token, h264.mimeType);
    await p.ready;
    expect(p.messages.find((m) => m.type === 'ready')).toMatchObject({ streamId: stream.id, video: 'copy' });
    const firstChunkAt = Date.now();
    const sending = p.sendChunks(h264.chunks, h264.arrivalMs);
    // the socket hears the provider's "live"
    await p.waitFor(
      (m) => m.type === 'status' && (m.stream as { isLive?: boolean } | undefined)?.isLive === true,
    );
    const live = await request(t.url).get(`/creators/${c.handle}`).expect(200);
    expect(live.body.liveStream).toMatchObject({ id: stream.id, isLive: true, status: 'ACTIVE' });
    // the broadcast starts at its first media (chat replay offsets count from it), not when the
    // first 2 s segment was written
    const startedAt = new Date((await request(t.url).get(`/stream/${stream.id}`).expect(200)).body.startedAt);
    expect(startedAt.getTime() - firstChunkAt).toBeLessThan(1500);
    // a viewer can fetch the live playlist
    const playlist = await request(t.url).get(stream.playbackUrl).expect(200);
    expect(playlist.text).toContain('#EXTM3U');
    await sending;
    const closed = await p.close(1000);
    expect(closed.code).toBe(1000);

    const vod = await eventually('the VOD post', async () => {
      const r = await request(t.url).get('/posts').query({ creator: c.handle });
      return r.body.items.find((i: { kind: string }) => i.kind === 'VOD');
    });
    expect(vod).toMatchObject({ kind: 'VOD', title: 'Live test', creator: { handle: c.handle } });
    expect(vod.playbackUrl).toMatch(/^\/media\/vod\/local_asset_[\w-]+\/index\.m3u8$/);
    const after = await request(t.url).get(`/stream/${stream.id}`).expect(200);
    expect(after.body).toMatchObject({ isLive: false, status: 'IDLE' });
    expect(after.body.endedAt).not.toBeNull();

    const url = `${t.url}${vod.playbackUrl}`;
    const info = await probe(url);
    const v = info.streams.find((s) => s.codecType === 'video');
    expect(v).toMatchObject({ codecName: 'h264', width: 1280, height: 720 });
    expect(info.streams.find((s) => s.codecType === 'audio')).toMatchObject({ codecName: 'aac' });
    const fixtureSec = recordingSeconds(h264);
    expect(vod.durationSec).toBeGreaterThan(fixtureSec - 1.5);
    expect(vod.durationSec).toBeLessThan(fixtureSec + 2.5);
    expect(await decodeErrors(url)).toBe('');
    expect(ffmpegChildren()).toEqual([]);
    // the stream key is a credential: never whole in a log line
    expect(t.logs.some((l) => l.includes(stream.streamKey))).toBe(false);
    expect(t.logs.some((l) => l.includes('publishing to stream'))).toBe(true);
  });

  describe('refusals: each with its close code, and no FFmpeg started', () => {
    let owner: Awaited<ReturnType<typeof makeCreator>>;
    let key: string;
    beforeAll(async () => {
      owner = await makeCreator(t);
      key = (await request(t.url).post('/stream/create').set(owner.auth).send({}).expect(201)).body.streamKey;
    });

    async function refused(setup: (p: Publisher) => void | Promise<void>, streamKey = key) {
      const p = await Publisher.connect(t.wsUrl, streamKey);
      await setup(p);
      const closed = await p.closed;
      expect(p.messages.find((m) => m.type === 'ready')).toBeUndefined();
      expect(ffmpegChildren()).toEqual([]);
      return closed;
    }

    it('no hello within 5 s → 4001', async () => {
      const started = Date.now();
      expect((await refused(() => undefined)).code).toBe(4001);
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
    });

    it('media before hello, or a malformed hello → 4001', async () => {
      expect(
        (await refused((p) => p.ws.send(defined(h264.chunks[0], 'the fixture’s first chunk')))).code,
      ).toBe(4001);
      expect((await refused((p) => p.ws.send('{"type":"hello"}'))).code).toBe(4001);
      expect((await refused((p) => p.ws.send('not json'))).code).toBe(4001);
    });

    it('a bad token → 4001', async () => {
      const c = await refused((p) => p.hello('not-a-token'));
      expect(c).toEqual({ code: 4001, reason: expect.stringContaining('invalid') });
    });

    it("someone else's key → 4003", async () => {
      const other = await makeCreator(t);
      expect((await refused((p) => p.hello(other.token))).code).toBe(4003);
    });

    it('an unknown key → 4004', async () => {
      expect((await refused((p) => p.hello(owner.token), 'unknownkey0123456789abcdef')).code).toBe(4004);
    });

    it('an unsupported mime type → 4013', async () => {
      const c = await refused((p) => p.hello(owner.token, 'video/mp4;codecs=avc1,mp4a'));
      expect(c.code).toBe(4013);
      expect((await refused((p) => p.hello(owner.token, 'video/webm;codecs=av1,opus'))).code).toBe(4013);
    });

    it('garbage instead of WebM after ready → 4013, FFmpeg ended, the app unharmed', async () => {
      const p = await Publisher.connect(t.wsUrl, key);
      p.hello(owner.token, h264.mimeType);
      await p.ready;
      p.ws.send(randomBytes(64 * 1024));
      const c = await p.closed;
      expect(c.code).toBe(4013);
      await eventually('FFmpeg to exit', () => ffmpegChildren().length === 0);
      await request(t.url).get('/health').expect(200);
    });

    it('a second publisher on a live key → 4009, the first one unharmed', async () => {
      const first = await Publisher.connect(t.wsUrl, key);
      first.hello(owner.token, h264.mimeType);
      await first.ready;
      await first.sendChunks(h264.chunks.slice(0, 3), null);
      const second = await Publisher.connect(t.wsUrl, key);
      second.hello(owner.token, h264.mimeType);
      const c = await second.closed;
      expect(c.code).toBe(4009);
      expect(first.ws.readyState).toBe(first.ws.OPEN);
      const [ffmpeg] = ffmpegChildren();
      expect(ffmpegChildren()).toHaveLength(1);
      // Forked by the session spawner (FFMPEG_SPAWNER=session): another autogroup than the app's.
      expect(autogroupOf(defined(ffmpeg, 'an FFmpeg'))).not.toBe(autogroupOf(process.pid));
      await first.close(1000);
      await eventually('FFmpeg to exit', () => ffmpegChildren().length === 0);
    });

    it('ends a publisher that sends no media (4008) and one that stops answering pings', async () => {
      const quiet = await makeCreator(t);
      const quietKey = (await request(t.url).post('/stream/create').set(quiet.auth).send({}).expect(201)).body
        .streamKey;
      const deaf = await makeCreator(t);
      const deafKey = (await request(t.url).post('/stream/create').set(deaf.auth).send({}).expect(201)).body
        .streamKey;

      const idle = await Publisher.connect(t.wsUrl, quietKey);
      idle.hello(quiet.token, h264.mimeType);
      await idle.ready;
      // a client whose connection died silently: it never answers pings
      const ws = new WebSocket(`${t.wsUrl}/stream/live/${deafKey}`, { autoPong: false });
      const noPong = new Publisher(ws);
      await new Promise((r) => ws.once('open', r));
      noPong.hello(deaf.token, h264.mimeType);
      await noPong.ready;
      const long = loopFixture(h264, 40);
      const feeding = noPong.sendChunks(long.chunks, long.mediaMs);
      const started = Date.now();
      const [idleClosed, deafClosed] = await Promise.all([idle.closed, noPong.closed]);
      await feeding;
      expect(idleClosed).toEqual({ code: 4008, reason: expect.stringContaining('no media') });
      expect(deafClosed.code).toBe(1006); // terminated without a close frame
      expect(Date.now() - started).toBeLessThan(35_000);
      await eventually('FFmpeg to exit', () => ffmpegChildren().length === 0);
    });

    it('refuses cross-origin browsers at the upgrade (403) and unknown paths (404)', async () => {
      await expect(Publisher.connect(t.wsUrl, key, { Origin: 'https://evil.example' })).rejects.toThrow(
        '403',
      );
      const status = await new Promise<number | undefined>((resolve) => {
        const ws = new WebSocket(`${t.wsUrl}/not/an/ingest/path`);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
        ws.on('open', () => resolve(101));
        ws.on('error', () => undefined);
      });
      expect(status).toBe(404);
      const same = await Publisher.connect(t.wsUrl, key, { Origin: t.url });
      await same.close();
    });
  });
});
