/**
 * Issue 13, the Firefox path: Firefox records VP8 (transcoded by the server) with a single keyframe
 * per recording, and the adaptive client restarts its recorder at another quality (a new WebM header
 * on the same socket). Two real Firefox recordings sent back to back on one ingest socket, in real
 * time, must become one continuous recording: no media lost between them, the second part's output
 * produced while it is being sent (not after a wait), one VOD post.
 */
import { join } from 'node:path';
import request from 'supertest';
import { startApp, TestApp } from './support/app';
import { makeCreator } from './support/factories';
import { decodeErrors, probe } from './support/ffprobe';
import { defined } from './support/indexing';
import { Publisher } from './support/ingest-client';
import { loadFixture, recordingSeconds } from './support/record-webm';

const first = loadFixture('firefox-vp8-a');
const second = loadFixture('firefox-vp8-b');
const report = (line: string): void => void process.stdout.write(`[vp8 new stream] ${line}\n`);

/** Seconds of media listed in the live HLS playlist right now (sum of #EXTINF). */
async function listedSec(t: TestApp, playbackUrl: string): Promise<number> {
  const m3u8 = await (await fetch(`${t.url}${playbackUrl}`)).text();
  return [...m3u8.matchAll(/#EXTINF:([\d.]+)/g)].reduce((s, m) => s + Number(m[1]), 0);
}

describe('two VP8 recordings back to back on one socket (transcode, local provider)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('become one continuous recording and one VOD post', async () => {
    const c = await makeCreator(t);
    const stream = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body;
    const p = await Publisher.connect(t.wsUrl, stream.streamKey);
    p.hello(c.token, first.mimeType);
    await p.ready;
    expect(p.messages.find((m) => m.type === 'ready')).toMatchObject({ video: 'transcode' });
    await p.sendChunks(first.chunks, first.arrivalMs);
    await p.sendChunks(second.chunks, second.arrivalMs);
    // While the creator is still live, the output must have kept up across the switch.
    await new Promise((r) => setTimeout(r, 1500));
    const liveListed = await listedSec(t, stream.playbackUrl);
    expect((await p.close()).code).toBe(1000);

    const vod = await (async () => {
      for (const until = Date.now() + 30_000; Date.now() < until;) {
        const r = await request(t.url).get('/posts').query({ creator: c.handle }).expect(200);
        const found = (r.body.items as { kind: string; playbackUrl: string; durationSec: number }[]).filter(
          (i) => i.kind === 'VOD',
        );
        if (found.length) return found;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('no VOD post');
    })();
    expect(vod).toHaveLength(1);
    const post = defined(vod[0], 'the VOD post');
    const playlist = (await request(t.url).get(post.playbackUrl).expect(200)).text;
    const segments = playlist.split('\n').filter((l) => l.endsWith('.ts'));
    let mediaSec = 0;
    for (const s of segments) {
      mediaSec += (await probe(`${t.url}${new URL(s, `${t.url}${post.playbackUrl}`).pathname}`))
        .formatDuration!;
    }
    const span = async (f: typeof first) =>
      (await probe(join(__dirname, 'fixtures', `${f.name}.webm`))).formatDuration ?? recordingSeconds(f);
    const sent = (await span(first)) + (await span(second));
    report(
      `sent ${sent.toFixed(2)} s; listed while live ${liveListed.toFixed(2)} s; the VOD's segments hold ` +
        `${mediaSec.toFixed(2)} s (post says ${post.durationSec} s)`,
    );
    expect(playlist.slice(playlist.indexOf('#EXTINF')).match(/#EXT-X-DISCONTINUITY\n/g)).toHaveLength(1);
    expect(await decodeErrors(`${t.url}${post.playbackUrl}`)).toBe('');
    expect(mediaSec).toBeGreaterThan(sent - 1);
    expect(mediaSec).toBeLessThan(sent + 1);
    // The live output ran only a segment or so behind what was sent, across the switch.
    expect(liveListed).toBeGreaterThan(sent - 3);
  }, 90_000);
});
