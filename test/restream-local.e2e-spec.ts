/**
 * Issue 12, local mode: one FFmpeg output fanned out with the tee muxer. Real FFmpeg publishes to two
 * real nginx-rtmp receivers and to a port nothing listens on: both receivers get the whole broadcast,
 * decodable; the recording is whole; the dead target is reported failed and nothing else notices.
 * A receiver killed mid-broadcast is reported, and the recording and the other target carry on.
 * No target's key is on FFmpeg's command line: each target is published through a loopback relay.
 */
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { startApp, TestApp } from './support/app';
import { eventually } from './support/eventually';
import { makeCreator } from './support/factories';
import { decodeErrors, mediaSpan } from './support/ffprobe';
import { defined } from './support/indexing';
import { Publisher, restreamOf } from './support/ingest-client';
import { freePort, RtmpReceiver } from './support/rtmp-receiver';
import { loadFixture, loopFixture } from './support/record-webm';

jest.setTimeout(180_000);

const fixture = loadFixture('h264-360p');

describe('restream in local mode (tee)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  async function setUp(targets: { name: string; url: string; key: string }[]) {
    const c = await makeCreator(t);
    for (const x of targets) {
      await request(t.url)
        .post('/users/me/restream-targets')
        .set(c.auth)
        .send({ name: x.name, url: x.url, streamKey: x.key })
        .expect(201);
    }
    const stream = (
      await request(t.url).post('/stream/create').set(c.auth).send({ title: 'Simulcast' }).expect(201)
    ).body;
    const p = await Publisher.connect(t.wsUrl, stream.streamKey);
    p.hello(c.token, fixture.mimeType);
    await p.ready;
    return { c, stream, p };
  }

  async function vodOf(handle: string) {
    return eventually('the VOD post', async () => {
      const r = await request(t.url).get('/posts').query({ creator: handle });
      return r.body.items.find((i: { kind: string }) => i.kind === 'VOD');
    });
  }

  it('30 s to two receivers and a dead port: both whole and decodable, the dead one failed, the recording whole', async () => {
    const [a, b] = [await RtmpReceiver.start(), await RtmpReceiver.start()];
    const deadPort = await freePort();
    try {
      const { c, p } = await setUp([
        { name: 'YouTube', url: `rtmp://127.0.0.1:${a.port}/app`, key: 'yt-key-aaaa1111' },
        { name: 'Twitch', url: `rtmp://127.0.0.1:${b.port}/app`, key: 'tw-key-bbbb2222' },
        { name: 'Dead', url: `rtmp://127.0.0.1:${deadPort}/app`, key: 'dead-key-cccc3333' },
      ]);
      const looped = loopFixture(fixture, 30);
      const sending = p.sendChunks(looped.chunks, looped.mediaMs);
      const states = await p.waitFor((m) => {
        const r = restreamOf(m);
        return !!r && r.filter((x) => x.state === 'live').length === 2 && r.some((x) => x.state === 'failed');
      });
      expect(restreamOf(states)).toEqual([
        { id: expect.any(String), name: 'YouTube', state: 'live', reason: null },
        { id: expect.any(String), name: 'Twitch', state: 'live', reason: null },
        { id: expect.any(String), name: 'Dead', state: 'failed', reason: 'connection refused' },
      ]);
      // issue 16 item 3: no target's key is on FFmpeg's command line (each goes through its own relay)
      const pid = (states.pipeline as { pid?: number | null }).pid;
      expect(pid).toEqual(expect.any(Number));
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      expect(argv).toContain(' tee ');
      for (const key of ['yt-key-aaaa1111', 'tw-key-bbbb2222', 'dead-key-cccc3333'])
        expect(argv).not.toContain(key.slice(-8));
      await sending;
      expect((await p.close(1000)).code).toBe(1000);

      const recA = defined(
        (await a.waitForCompleteRecordings(1, 'yt-key-aaaa1111', 20_000))[0],
        'a complete recording',
      );
      const recB = defined(
        (await b.waitForCompleteRecordings(1, 'tw-key-bbbb2222', 20_000))[0],
        'a complete recording',
      );
      const sentSec = looped.mediaMs.at(-1)! / 1000;
      for (const rec of [recA, recB]) {
        const v = await mediaSpan(rec.path, 'v');
        const au = await mediaSpan(rec.path, 'a');
        expect(v.span).toBeGreaterThan(sentSec - 1.5);
        expect(au.span).toBeGreaterThan(sentSec - 1.5);
        expect(await decodeErrors(rec.path)).toBe('');
      }
      const vod = await vodOf(c.handle);
      expect(vod.durationSec).toBeGreaterThan(sentSec - 1.5);
      expect(await decodeErrors(`${t.url}${vod.playbackUrl}`)).toBe('');
      // the pipeline never restarted or failed because of the dead target
      const last = p.messages.filter((m) => m.type === 'status' && m.pipeline).at(-1);
      expect((last?.pipeline as { restarts: number }).restarts).toBe(0);
      expect(p.messages.some((m) => m.type === 'error')).toBe(false);
      // keys are never logged, nor sent to the creator's socket
      for (const key of ['yt-key-aaaa1111', 'tw-key-bbbb2222', 'dead-key-cccc3333']) {
        expect(t.logs.filter((l) => l.includes(key))).toEqual([]);
        expect(p.messages.filter((m) => JSON.stringify(m).includes(key))).toEqual([]);
      }
    } finally {
      await a.stop(true);
      await b.stop(true);
    }
  });

  it('a receiver that dies mid-broadcast is reported failed; the recording and the other carry on', async () => {
    const [a, b] = [await RtmpReceiver.start(), await RtmpReceiver.start()];
    try {
      const { c, p } = await setUp([
        { name: 'Keeps', url: `rtmp://127.0.0.1:${a.port}/app`, key: 'keep-key-1111' },
        { name: 'Dies', url: `rtmp://127.0.0.1:${b.port}/app`, key: 'dies-key-2222' },
      ]);
      const looped = loopFixture(fixture, 20);
      const sending = p.sendChunks(looped.chunks, looped.mediaMs);
      await p.waitFor((m) => restreamOf(m)?.every((x) => x.state === 'live') === true);
      await new Promise((r) => setTimeout(r, 6_000));
      await b.stop();
      const failed = await p.waitFor((m) => restreamOf(m)?.[1]?.state === 'failed', 20_000);
      expect(restreamOf(failed)).toEqual([
        expect.objectContaining({ name: 'Keeps', state: 'live' }),
        expect.objectContaining({ name: 'Dies', state: 'failed', reason: expect.any(String) }),
      ]);
      await sending;
      expect((await p.close(1000)).code).toBe(1000);
      const sentSec = looped.mediaMs.at(-1)! / 1000;
      const recA = defined(
        (await a.waitForCompleteRecordings(1, 'keep-key-1111', 20_000))[0],
        'a complete recording',
      );
      expect((await mediaSpan(recA.path, 'v')).span).toBeGreaterThan(sentSec - 1.5);
      expect(await decodeErrors(recA.path)).toBe('');
      const vod = await vodOf(c.handle);
      expect(vod.durationSec).toBeGreaterThan(sentSec - 1.5);
      const statuses = p.messages.filter((m) => m.type === 'status' && m.pipeline);
      expect((statuses.at(-1)?.pipeline as { restarts: number }).restarts).toBe(0);
    } finally {
      await a.stop(true);
      await b.stop(true);
    }
  });
});
