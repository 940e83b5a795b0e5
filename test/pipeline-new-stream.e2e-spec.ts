/**
 * A new WebM stream on a live input (the client restarted MediaRecorder at another quality): the
 * pipeline finishes the old FFmpeg and continues with a new one from the new header, through real
 * FFmpeg to local HLS (one playlist, a discontinuity per switch) and to nginx-rtmp (a new publish).
 * H.264 720p → H.264 360p → VP8 720p (transcoded): all of it decodable, no failure, nothing dropped.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FfmpegPipeline } from '../src/streams/pipeline/ffmpeg-pipeline';
import { FfmpegPipelineFactory } from '../src/streams/pipeline/ffmpeg-pipeline.factory';
import type { PipelineOutput } from '../src/streams/pipeline/ffmpeg-args';
import { decodeErrors, mediaSpan, probe } from './support/ffprobe';
import { defined, pairs } from './support/indexing';
import { type Fixture, FIXTURES_DIR, loadFixture, replayRecording } from './support/record-webm';
import { RtmpReceiver } from './support/rtmp-receiver';

const report = (line: string): void => void process.stdout.write(`[new stream e2e] ${line}\n`);
const fixtures = ['h264-720p', 'h264-360p', 'vp8-720p'].map((n) => loadFixture(n));

async function feedAll(p: FfmpegPipeline, list: Fixture[]): Promise<void> {
  for (const f of list) await replayRecording(f, (chunk) => p.push(chunk), { speed: 2 });
}

function create(output: PipelineOutput): FfmpegPipeline {
  return new FfmpegPipelineFactory().create({
    mimeType: defined(fixtures[0], 'the first fixture').mimeType,
    output,
    ffmpegPath: 'ffmpeg',
    label: 'new…',
    restart: { maxFailures: 3, windowMs: 60_000 },
  });
}

describe('a new WebM stream on a live input', () => {
  const spans: number[] = [];
  let dir: string;
  let receiver: RtmpReceiver;
  const pipelines: FfmpegPipeline[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vybzz-newstream-'));
    receiver = await RtmpReceiver.start();
    for (const f of fixtures) spans.push((await mediaSpan(join(FIXTURES_DIR, `${f.name}.webm`), 'v')).span);
  });
  afterAll(async () => {
    pipelines.forEach((p) => p.kill());
    await receiver.stop(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('HLS: one playlist, a discontinuity at each switch, every stream there and decodable', async () => {
    const p = create({ kind: 'hls', dir });
    pipelines.push(p);
    const failures: string[] = [];
    p.on('failed', (reason) => failures.push(reason));
    await feedAll(p, fixtures);
    await p.stop(5000);
    expect(failures).toEqual([]);
    expect(p.stats()).toMatchObject({ state: 'ended', restarts: 0, droppedClusters: 0 });
    expect(p.segments).toBe(3);

    const playlist = readFileSync(join(dir, 'index.m3u8'), 'utf8');
    const body = playlist.slice(playlist.indexOf('#EXTINF'));
    expect(body.match(/#EXT-X-DISCONTINUITY/g)).toHaveLength(2);
    expect(playlist.trim().endsWith('#EXT-X-ENDLIST')).toBe(true);
    const segments = playlist.split('\n').filter((l) => l.endsWith('.ts'));
    const sizes = new Set<string>();
    for (const segment of segments) {
      expect(await decodeErrors(join(dir, segment))).toBe('');
      const v = (await probe(join(dir, segment))).streams.find((s) => s.codecType === 'video')!;
      expect(v.codecName).toBe('h264');
      sizes.add(`${v.width}x${v.height}`);
    }
    expect([...sizes].sort()).toEqual(['1280x720', '640x360']);
    const total = (await probe(join(dir, 'index.m3u8'))).formatDuration!;
    const source = spans.reduce((a, b) => a + b, 0);
    report(`HLS: ${segments.length} segments, ${total.toFixed(2)} s listed for ${source.toFixed(2)} s sent`);
    // Each stream's last segment is finished by its FFmpeg: nothing but rounding is lost.
    expect(total).toBeGreaterThan(source - 1.5);
    expect(total).toBeLessThan(source + 2);
  });

  it('RTMP: a publish per WebM stream, each whole and decodable, with a short gap between them', async () => {
    const key = 'newstreamkey';
    const p = create({ kind: 'rtmp', url: receiver.url(key) });
    pipelines.push(p);
    const failures: string[] = [];
    p.on('failed', (reason) => failures.push(reason));
    await feedAll(p, fixtures);
    await p.stop(5000);
    expect(failures).toEqual([]);
    const recordings = await receiver.waitForCompleteRecordings(3, key, 20_000);
    expect(recordings).toHaveLength(3);
    const expected = [
      ['h264', 1280, 720],
      ['h264', 640, 360],
      ['h264', 1280, 720],
    ];
    for (const [i, r] of recordings.entries()) {
      const v = (await probe(r.path)).streams.find((s) => s.codecType === 'video')!;
      expect([v.codecName, v.width, v.height]).toEqual(expected[i]);
      expect(await decodeErrors(r.path)).toBe('');
      const span = (await mediaSpan(r.path, 'v')).span;
      expect(span).toBeGreaterThan(defined(spans[i], `fixture ${i}'s span`) - 1);
    }
    const events = receiver.events(key);
    const gaps: number[] = [];
    for (const [before, e] of pairs(events)) {
      if (e.kind === 'publish' && before.kind === 'publish_done') gaps.push(e.atMs - before.atMs);
    }
    report(`RTMP: 3 publishes, gaps between them ${gaps.join(', ')} ms`);
    expect(gaps).toHaveLength(2);
    expect(Math.max(...gaps)).toBeLessThan(2000);
  });
});
