/**
 * The ingest acknowledgements (COMMON protocol): a real `ws` publisher feeds recorded Chromium chunks
 * at their recorded pace and reads `status.ack` frames that grow with what it sent — bytes exactly,
 * WebM media time as ffprobe reads it from the same file — at least 4 a second. Then it restarts its
 * "recorder" on the same socket at another resolution (a new EBML header): the broadcast goes on.
 */
import request from 'supertest';
import { startApp, TestApp } from './support/app';
import { makeCreator } from './support/factories';
import { eventually } from './support/eventually';
import { run } from './support/ffprobe';
import { defined, pairs } from './support/indexing';
import { Publisher, type ServerMsg } from './support/ingest-client';
import { join } from 'node:path';
import { FIXTURES_DIR, loadFixture, recordingSeconds } from './support/record-webm';

const h264 = loadFixture('h264-720p');
const h264Low = loadFixture('h264-360p');

interface Ack {
  bytes: number;
  mediaMs: number;
  segment: number;
  lagMs?: number;
  at: number;
}

/** The latest presentation time (ms) of any packet in a WebM file, read by ffprobe. */
async function lastPacketMs(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'packet=pts_time',
    '-of',
    'csv=p=0',
    file,
  ]);
  return Math.max(...stdout.split('\n').filter(Boolean).map(Number)) * 1000;
}

function recordAcks(p: Publisher): Ack[] {
  const acks: Ack[] = [];
  p.ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const m = JSON.parse((data as Buffer).toString('utf8')) as ServerMsg;
    const ack = m.type === 'status' ? (m.ack as Omit<Ack, 'at'> | undefined) : undefined;
    if (ack) acks.push({ ...ack, at: Date.now() });
  });
  return acks;
}

function waitForVod(t: TestApp, handle: string): Promise<{ durationSec: number; playbackUrl: string }> {
  return eventually('the VOD post', async () => {
    const r = await request(t.url).get('/posts').query({ creator: handle });
    return (r.body.items as { kind: string; durationSec: number; playbackUrl: string }[]).find(
      (i) => i.kind === 'VOD',
    );
  });
}

const total = (chunks: Buffer[]) => chunks.reduce((n, c) => n + c.length, 0);

describe('ingest acknowledgements', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('acknowledges bytes and media time ≥ 4× a second, and follows a new WebM stream on the same socket', async () => {
    const c = await makeCreator(t);
    const stream = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body;
    const p = await Publisher.connect(t.wsUrl, stream.streamKey);
    const acks = recordAcks(p);
    p.hello(c.token, h264.mimeType);
    await p.ready;

    const began = Date.now();
    await p.sendChunks(h264.chunks, h264.arrivalMs);
    const sentFirst = total(h264.chunks);
    const first = await p.waitFor((m) => (m.ack as Ack | undefined)?.bytes === sentFirst, 5_000);
    const firstEnd = Date.now();
    const duringFirst = acks.filter((a) => a.at >= began + 500 && a.at <= firstEnd);
    const rate = duringFirst.length / ((firstEnd - began - 500) / 1000);
    process.stdout.write(`[ack e2e] ${rate.toFixed(1)} acks/s while media arrives\n`);
    expect(rate).toBeGreaterThanOrEqual(4);
    // Gaps between acknowledgements stay short while media flows (a loaded machine gets slack).
    const gaps = pairs(duringFirst).map(([a, b]) => b.at - a.at);
    expect(Math.max(...gaps)).toBeLessThan(600);
    // Never backwards, never ahead of what was sent.
    for (const [a, b] of pairs(acks)) {
      expect(b.bytes).toBeGreaterThanOrEqual(a.bytes);
      expect(b.mediaMs).toBeGreaterThanOrEqual(a.mediaMs);
    }
    expect(Math.max(...acks.map((a) => a.bytes))).toBeLessThanOrEqual(sentFirst);
    const expectedMs = await lastPacketMs(join(FIXTURES_DIR, 'h264-720p.webm'));
    expect((first.ack as Ack).segment).toBe(1);
    expect(Math.abs((first.ack as Ack).mediaMs - expectedMs)).toBeLessThanOrEqual(1);

    // The client restarts its recorder at 360p on the same socket: a new EBML header.
    const mark = acks.length;
    await p.sendChunks(h264Low.chunks, h264Low.arrivalMs);
    const sentAll = sentFirst + total(h264Low.chunks);
    const last = (await p.waitFor((m) => (m.ack as Ack | undefined)?.bytes === sentAll, 5_000)).ack as Ack;
    expect(last.segment).toBe(2);
    expect(
      Math.abs(last.mediaMs - (await lastPacketMs(join(FIXTURES_DIR, 'h264-360p.webm')))),
    ).toBeLessThanOrEqual(1);
    const second = acks.slice(mark).filter((a) => a.segment === 2);
    expect(second.length).toBeGreaterThan(5);
    // The media time of the new stream starts again from its own beginning.
    expect(defined(second[0], 'an ack of the new stream').mediaMs).toBeLessThan(1000);
    expect(p.ws.readyState).toBe(p.ws.OPEN);
    expect(p.messages.filter((m) => m.type === 'error')).toEqual([]);
    expect((await p.close(1000)).code).toBe(1000);

    // One broadcast: one VOD post holding both streams, after a discontinuity.
    const vod = await waitForVod(t, c.handle);
    const sentSec = recordingSeconds(h264) + recordingSeconds(h264Low);
    expect(vod.durationSec).toBeGreaterThan(sentSec - 1.5);
    expect(vod.durationSec).toBeLessThan(sentSec + 2.5);
    const playlist = (await request(t.url).get(vod.playbackUrl).expect(200)).text;
    // (FFmpeg's appending muxer also marks the playlist's head; the switch is the one between segments.)
    expect(playlist.slice(playlist.indexOf('#EXTINF')).match(/#EXT-X-DISCONTINUITY\n/g)).toHaveLength(1);
    const posts = (await request(t.url).get('/posts').query({ creator: c.handle })).body.items;
    expect(posts.filter((i: { kind: string }) => i.kind === 'VOD')).toHaveLength(1);
  }, 60_000);

  it('reports its own event-loop lag in the acks, so a busy server is not mistaken for a slow uplink', async () => {
    const c = await makeCreator(t);
    const stream = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body;
    const p = await Publisher.connect(t.wsUrl, stream.streamKey);
    const acks = recordAcks(p);
    p.hello(c.token, h264.mimeType);
    await p.ready;
    const half = Math.floor(h264.chunks.length / 2);
    await p.sendChunks(h264.chunks, h264.arrivalMs, 0, half);
    await p.waitFor((m) => (m.ack as Ack | undefined)?.bytes === total(h264.chunks.slice(0, half)), 5_000);
    const idle = acks.map((a) => a.lagMs ?? -1);
    // The app runs in this process: block its event loop for 700 ms, as a CPU-starved server would be.
    const mark = acks.length;
    setTimeout(() => {
      const until = performance.now() + 700;
      while (performance.now() < until);
    }, 50);
    await p.sendChunks(h264.chunks, h264.arrivalMs, half);
    const after = acks.slice(mark).map((a) => a.lagMs ?? -1);
    process.stdout.write(
      `[ack e2e] lag before ${Math.max(...idle)} ms, after a 700 ms block ${Math.max(...after)} ms\n`,
    );
    expect(Math.min(...idle, ...after)).toBeGreaterThanOrEqual(0); // every ack carries it
    expect(Math.max(...after)).toBeGreaterThanOrEqual(450); // ≥ 700 − one ack interval
    expect(Math.max(...after)).toBeLessThan(2000);
    await p.close(1000);
  }, 60_000);
});
