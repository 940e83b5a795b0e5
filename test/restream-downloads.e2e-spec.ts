/**
 * Issue 12, local mode: a broadcast's recording becomes an MP4 download (a remux of the HLS, made
 * when the broadcast ends) served with range requests to its author, and to others only when the
 * creator allows downloads; the live card and the VOD post carry a JPEG poster.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startApp, TestApp } from './support/app';
import { makeCreator, signIn } from './support/factories';
import { decodeErrors, probe } from './support/ffprobe';
import { Publisher } from './support/ingest-client';
import { loadFixture, loopFixture } from './support/record-webm';

jest.setTimeout(120_000);
const fixture = loadFixture('h264-360p');

async function waitUntil<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

const binary = (r: request.Test) =>
  r.buffer(true).parse((res, cb) => {
    const parts: Buffer[] = [];
    res.on('data', (c: Buffer) => parts.push(c));
    res.on('end', () => cb(null, Buffer.concat(parts)));
  });

describe('downloads and posters (local mode)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('poster while live and on the VOD; an MP4 as long as the VOD; ranges; 403 unless allowed', async () => {
    const c = await makeCreator(t);
    const fan = await signIn(t);
    const stream = (
      await request(t.url).post('/stream/create').set(c.auth).send({ title: 'Keep me' }).expect(201)
    ).body;
    const p = await Publisher.connect(t.wsUrl, stream.streamKey);
    p.hello(c.token, fixture.mimeType);
    await p.ready;
    const looped = loopFixture(fixture, 12);
    const sending = p.sendChunks(looped.chunks, looped.mediaMs);

    // the "Live now" card has a poster taken from the live output
    const card = await waitUntil(async () => {
      const r = await request(t.url).get('/creators');
      return r.body.items.find((i: { handle: string; live: unknown }) => i.handle === c.handle && i.live)
        ?.live;
    });
    expect(card.posterUrl).toBe(`/media/live/${stream.playbackId}/poster.jpg`);
    const livePoster = await waitUntil(async () => {
      const r = await binary(request(t.url).get(card.posterUrl));
      return r.status === 200 && r;
    });
    expect(livePoster.headers['content-type']).toBe('image/jpeg');
    expect((livePoster.body as Buffer).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    await sending;
    expect((await p.close(1000)).code).toBe(1000);
    const vod = await waitUntil(async () => {
      const r = await request(t.url).get('/posts').query({ creator: c.handle }).set(c.auth);
      return r.body.items.find((i: { kind: string }) => i.kind === 'VOD');
    });
    expect(vod.downloadUrl).toBe(`/posts/${vod.id}/download`);
    expect(vod.posterUrl).toMatch(/^\/media\/vod\/local_asset_[\w-]+\/poster\.jpg$/);
    const poster = await binary(request(t.url).get(vod.posterUrl).expect(200));
    expect(poster.headers['content-type']).toBe('image/jpeg');

    // the author downloads an MP4 as long as the VOD
    const whole = await binary(request(t.url).get(vod.downloadUrl).set(c.auth).expect(200));
    expect(whole.headers['content-type']).toBe('video/mp4');
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.headers['content-disposition']).toContain('attachment');
    const file = join(t.dataDir, 'downloaded.mp4');
    writeFileSync(file, whole.body as Buffer);
    const info = await probe(file);
    expect(info.formatName).toContain('mp4');
    expect(info.streams.map((s) => s.codecName).sort()).toEqual(['aac', 'h264']);
    expect(Math.abs(info.formatDuration! - vod.durationSec)).toBeLessThanOrEqual(0.5);
    expect(await decodeErrors(file)).toBe('');
    // faststart: the index (moov) comes before the media (mdat)
    const bytes = whole.body as Buffer;
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));

    // range requests
    const size = bytes.length;
    const part = await binary(
      request(t.url).get(vod.downloadUrl).set(c.auth).set('Range', 'bytes=100-1099').expect(206),
    );
    expect(part.headers['content-range']).toBe(`bytes 100-1099/${size}`);
    expect(part.body).toEqual(bytes.subarray(100, 1100));
    const tail = await binary(
      request(t.url).get(vod.downloadUrl).set(c.auth).set('Range', 'bytes=-500').expect(206),
    );
    expect(tail.body).toEqual(bytes.subarray(size - 500));
    await request(t.url)
      .get(vod.downloadUrl)
      .set(c.auth)
      .set('Range', `bytes=${size + 10}-`)
      .expect(416);

    // others: no link and 403 until the creator allows downloads; the file is not reachable under /media
    const seen = await request(t.url).get(`/posts/${vod.id}`).set(fan.auth).expect(200);
    expect(seen.body.downloadUrl).toBeUndefined();
    await request(t.url).get(vod.downloadUrl).set(fan.auth).expect(403);
    await request(t.url).get(vod.downloadUrl).expect(403);
    const folder = vod.playbackUrl.replace(/index\.m3u8$/, '');
    const direct = await request(t.url).get(`${folder}.download.mp4`);
    expect([403, 404]).toContain(direct.status);
    await request(t.url)
      .put('/users/me/creator-profile')
      .set(c.auth)
      .send({ handle: c.handle, displayName: 'Keeper', allowDownloads: true })
      .expect(200);
    expect((await request(t.url).get('/users/me').set(c.auth)).body.allowDownloads).toBe(true);
    expect((await request(t.url).get(`/posts/${vod.id}`).expect(200)).body.downloadUrl).toBe(vod.downloadUrl);
    const anon = await binary(request(t.url).get(vod.downloadUrl).expect(200));
    expect((anon.body as Buffer).length).toBe(size);

    // a text post has no download
    const text = await request(t.url).post('/posts').set(c.auth).send({ title: 'words' }).expect(201);
    await request(t.url).get(`/posts/${text.body.id}/download`).set(c.auth).expect(404);
  });
});
