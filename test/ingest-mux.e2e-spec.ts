/**
 * Going live in Mux mode: the real @mux/mux-node client against the stand-in Mux API, FFmpeg pushing
 * FLV to a real RTMP receiver (nginx-rtmp) at MUX_RTMP_URL, and the stream key kept out of the logs.
 */
import { join } from 'node:path';
import request from 'supertest';
import type { TestApp } from './support/app';
import { makeCreator } from './support/factories';
import { decodeErrors, mediaSpan, probe } from './support/ffprobe';
import { defined } from './support/indexing';
import { Publisher } from './support/ingest-client';
import { withMuxApp } from './support/mux-app';
import { MuxStandin } from './support/mux-standin';
import { FIXTURES_DIR, loadFixture } from './support/record-webm';
import { RtmpReceiver } from './support/rtmp-receiver';

describe('go live (Mux provider, stand-in API, real RTMP receiver)', () => {
  let mux: MuxStandin;
  let rtmp: RtmpReceiver;
  let t: TestApp;
  withMuxApp((s) => ({ mux, rtmp, t } = s), { rtmp: true });

  it('creates a Mux live stream with public playback and recording, authenticated with Basic auth', async () => {
    const c = await makeCreator(t);
    const res = await request(t.url)
      .post('/stream/create')
      .set(c.auth)
      .send({ title: 'Mux show' })
      .expect(201);
    const created = mux.requests.find((r) => r.method === 'POST' && r.path === '/video/v1/live-streams');
    expect(created).toMatchObject({
      authorized: true,
      body: {
        playback_policies: ['public'],
        new_asset_settings: { playback_policies: ['public'] },
        reconnect_window: 60,
      },
    });
    const ls = [...mux.liveStreams.values()].find((s) => s.stream_key === res.body.streamKey)!;
    const playbackId = defined(ls.playback_ids[0], 'a playback id on the live stream').id;
    expect(res.body).toMatchObject({
      status: 'IDLE',
      isLive: false,
      playbackId,
      playbackUrl: `https://stream.mux.com/${playbackId}.m3u8`,
    });
    expect((await request(t.url).get('/app-config').expect(200)).body.mediaProvider).toBe('mux');
  });

  it('answers 502 and stores nothing when Mux fails', async () => {
    const c = await makeCreator(t);
    mux.failWith = 500;
    try {
      const r = await request(t.url).post('/stream/create').set(c.auth).send({}).expect(502);
      expect(r.body).toMatchObject({ statusCode: 502, message: expect.stringContaining('Mux') });
    } finally {
      mux.failWith = null;
    }
    expect(await t.prisma.liveStream.count({ where: { creatorId: c.userId } })).toBe(0);
  });

  for (const name of ['h264-720p', 'vp8-720p'] as const) {
    it(`relays a Chromium ${name} session to RTMP as H.264 + AAC, whole and decodable`, async () => {
      const fx = loadFixture(name);
      const c = await makeCreator(t);
      const stream = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body;
      const before = rtmp.recordings(stream.streamKey).filter((r) => r.complete).length;
      const p = await Publisher.connect(t.wsUrl, stream.streamKey);
      p.hello(c.token, fx.mimeType);
      await p.ready;
      expect(p.messages.find((m) => m.type === 'ready')).toMatchObject({
        video: name.startsWith('h264') ? 'copy' : 'transcode',
      });
      await p.sendChunks(fx.chunks, fx.arrivalMs);
      await p.close(1000);
      const done = await rtmp.waitForCompleteRecordings(before + 1, stream.streamKey, 20_000);
      const rec = done.at(-1)!;
      expect(rtmp.events().some((e) => e.kind === 'publish' && e.name === stream.streamKey)).toBe(true);
      const out = await probe(rec.path);
      const srcPath = join(FIXTURES_DIR, `${name}.webm`);
      const src = await probe(srcPath);
      const v = out.streams.find((s) => s.codecType === 'video')!;
      expect(v.codecName).toBe('h264');
      if (name.startsWith('h264'))
        expect(v.profile).toBe(src.streams.find((s) => s.codecType === 'video')!.profile);
      expect(out.streams.find((s) => s.codecType === 'audio')).toMatchObject({ codecName: 'aac' });
      const span = await mediaSpan(rec.path, 'v');
      const srcSpan = await mediaSpan(srcPath, 'v');
      expect(Math.abs(span.span - srcSpan.span)).toBeLessThan(0.6);
      expect(await decodeErrors(rec.path)).toBe('');
      // Stop Streaming tells Mux the broadcast is complete
      const ls = [...mux.liveStreams.values()].find((s) => s.stream_key === stream.streamKey)!;
      expect(ls.completed).toBe(true);
      expect(t.logs.some((l) => l.includes(stream.streamKey))).toBe(false);
    });
  }
});
