/**
 * The FFmpeg pipeline end to end: committed Chromium recordings → FfmpegPipeline → real FFmpeg →
 * real nginx-rtmp (or HLS files), checked with ffprobe. Numbers are printed for the report.
 * The receiver-stall test (d) is in pipeline-stall.e2e-spec.ts, the HLS test (g) in pipeline-hls.e2e-spec.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { liveChildPids } from '../src/streams/pipeline/child-registry';
import {
  type FfmpegPipeline,
  type FfmpegPipelineOptions,
  type PipelineRestart,
} from '../src/streams/pipeline/ffmpeg-pipeline';
import { FfmpegPipelineFactory } from '../src/streams/pipeline/ffmpeg-pipeline.factory';
import { ffmpegDescendants, isRunning } from './support/ffmpeg-processes';
import { sleep, timeUntil } from './support/eventually';
import { decodeErrors, mediaSpan, packets, probe } from './support/ffprobe';
import { defined, pairs } from './support/indexing';
import { type Fixture, FIXTURES_DIR, loadFixture, replayRecording } from './support/record-webm';
import { RtmpReceiver, freePort } from './support/rtmp-receiver';

const factory = new FfmpegPipelineFactory();
const report = (line: string): void => void process.stdout.write(`[pipeline e2e] ${line}\n`);

let receiver: RtmpReceiver;
const pipelines: FfmpegPipeline[] = [];
let h264: Fixture;
let vp8: Fixture;

beforeAll(async () => {
  receiver = await RtmpReceiver.start();
  h264 = loadFixture('h264-720p');
  vp8 = loadFixture('vp8-720p');
});

afterEach(async () => {
  for (const p of pipelines.splice(0)) {
    p.kill();
    await p.stop(0);
  }
});

afterAll(async () => {
  await receiver.stop(process.env.KEEP_RECORDINGS !== '1');
});

function create(key: string, extra: Partial<FfmpegPipelineOptions> = {}): FfmpegPipeline {
  const p = factory.create({
    mimeType: h264.mimeType,
    output: { kind: 'rtmp', url: receiver.url(key) },
    ffmpegPath: 'ffmpeg',
    label: `${key.slice(0, 3)}…`,
    restart: { maxFailures: 5, windowMs: 60_000 },
    ...extra,
  });
  pipelines.push(p);
  return p;
}

/** Pushes the recorded chunks with their recorded spacing divided by `speed`. */
function feed(
  p: FfmpegPipeline,
  fixture: Fixture,
  speed = 1,
  onChunk?: (index: number, mediaMs: number) => void | Promise<void>,
): Promise<void> {
  return replayRecording(fixture, (chunk) => p.push(chunk), { speed, onChunk });
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = defined(stat.split(') ')[1], `the fields after the name in /proc/${pid}/stat`).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const ffmpegChildren = (): string => ffmpegDescendants().join('\n');

describe('FFmpeg pipeline → nginx-rtmp', () => {
  let source: { video: Awaited<ReturnType<typeof mediaSpan>>; audio: Awaited<ReturnType<typeof mediaSpan>> };
  let sourceProfile: string | undefined;

  beforeAll(async () => {
    const file = join(FIXTURES_DIR, 'h264-720p.webm');
    source = { video: await mediaSpan(file, 'v'), audio: await mediaSpan(file, 'a') };
    sourceProfile = (await probe(file)).streams.find((s) => s.codecType === 'video')?.profile;
  });

  it('(a) H.264 arrives copied (same profile) with AAC audio, whole duration, decoding cleanly', async () => {
    const key = 'copyh264key';
    const p = create(key);
    let runningAfter = -1;
    const t0 = performance.now();
    p.on('status', (s) => {
      if (s.state === 'running' && runningAfter < 0) runningAfter = performance.now() - t0;
    });
    const firstMedia = timeUntil(
      'media at the receiver',
      () => (receiver.recordings(key)[0]?.bytes ?? 0) > 4096,
    );
    let cpu = 0;
    await feed(p, h264, 1, (i) => {
      if (i === h264.chunks.length - 1) cpu = cpuSeconds(p.stats().pid!);
    });
    const firstMediaMs = await firstMedia;
    await p.stop(5000);
    const rec = defined((await receiver.waitForCompleteRecordings(1, key))[0], 'a complete recording');
    expect(receiver.recordings(key)).toHaveLength(1);

    const info = await probe(rec.path);
    const video = info.streams.find((s) => s.codecType === 'video');
    const audio = info.streams.find((s) => s.codecType === 'audio');
    expect(video).toMatchObject({ codecName: 'h264', profile: sourceProfile, width: 1280, height: 720 });
    expect(audio).toMatchObject({ codecName: 'aac', sampleRate: 48000 });
    const out = { video: await mediaSpan(rec.path, 'v'), audio: await mediaSpan(rec.path, 'a') };
    expect(Math.abs(out.video.span - source.video.span)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(out.audio.span - source.audio.span)).toBeLessThanOrEqual(0.5);
    expect(out.video.count).toBe(source.video.count);
    expect(await decodeErrors(rec.path)).toBe('');
    expect(runningAfter).toBeGreaterThan(0);
    expect(runningAfter).toBeLessThan(1000);

    const latency = p.latencySummary();
    // Generous bounds (CI machines are busy); the measured values are printed below.
    expect(latency.p50).toBeLessThan(20);
    expect(latency.p99).toBeLessThan(250);
    report(
      `(a) copy: first output (FFmpeg running) ${runningAfter.toFixed(0)} ms, first media at receiver ` +
        `${firstMediaMs.toFixed(0)} ms after the first push; video ${out.video.span.toFixed(3)} s vs source ` +
        `${source.video.span.toFixed(3)} s, ${out.video.count}/${source.video.count} frames; FFmpeg CPU ` +
        `${cpu.toFixed(2)} s for ${source.video.span.toFixed(1)} s of media ` +
        `(${((100 * cpu) / source.video.span).toFixed(1)}% of a core); server-added latency ` +
        `p50 ${latency.p50.toFixed(2)} ms p99 ${latency.p99.toFixed(2)} ms max ${latency.max.toFixed(2)} ms (${latency.count} writes)`,
    );
  });

  it('(b) VP8 arrives as H.264 with a keyframe every 2 s', async () => {
    const key = 'vp8key';
    const p = create(key, { mimeType: vp8.mimeType });
    let cpu = 0;
    await feed(p, vp8, 1, (i) => {
      if (i === vp8.chunks.length - 1) cpu = cpuSeconds(p.stats().pid!);
    });
    await p.stop(5000);
    const rec = defined((await receiver.waitForCompleteRecordings(1, key))[0], 'a complete recording');
    const info = await probe(rec.path);
    expect(info.streams.map((s) => [s.codecType, s.codecName])).toEqual([
      ['video', 'h264'],
      ['audio', 'aac'],
    ]);
    expect(await decodeErrors(rec.path)).toBe('');
    const src = await mediaSpan(join(FIXTURES_DIR, 'vp8-720p.webm'), 'v');
    const out = await mediaSpan(rec.path, 'v');
    expect(Math.abs(out.span - src.span)).toBeLessThanOrEqual(0.5);
    const keyTimes = (await packets(rec.path, 'v')).filter((k) => k.keyframe).map((k) => k.pts);
    expect(keyTimes.length).toBeGreaterThanOrEqual(3);
    for (const [a, b] of pairs(keyTimes)) {
      expect(b - a).toBeGreaterThan(1.9);
      expect(b - a).toBeLessThan(2.1);
    }
    report(
      `(b) vp8→h264: ${out.span.toFixed(3)} s vs source ${src.span.toFixed(3)} s, keyframes at ` +
        `${keyTimes.map((k) => k.toFixed(2)).join(', ')} s; FFmpeg CPU ${cpu.toFixed(2)} s for ` +
        `${src.span.toFixed(1)} s (${((100 * cpu) / src.span).toFixed(0)}% of a core, libx264 veryfast 720p30)`,
    );
  });

  it('(c) FFmpeg SIGKILLed mid-stream: restarted within 2 s, a new clean publish, at most one keyframe interval lost', async () => {
    const key = 'sigkillkey';
    const p = create(key, { restart: { maxFailures: 3, windowMs: 60_000 } });
    const restarts: PipelineRestart[] = [];
    p.on('restart', (r) => restarts.push(r));
    let killedAt = 0;
    let runningAgainAt = 0;
    p.on('status', (s) => {
      if (killedAt && !runningAgainAt && s.state === 'running') runningAgainAt = performance.now();
    });
    let killedPid = 0;
    await feed(p, h264, 1, (_i, mediaMs) => {
      if (!killedAt && mediaMs >= 4500) {
        killedPid = p.stats().pid!;
        process.kill(killedPid, 'SIGKILL');
        killedAt = performance.now();
      }
    });
    await timeUntil('the restarted FFmpeg to run', () => runningAgainAt > 0, 3000);
    await p.stop(5000);

    const recs = await receiver.waitForCompleteRecordings(2, key);
    expect(recs).toHaveLength(2);
    const rec1 = defined(recs[0], 'publish 1’s recording');
    const rec2 = defined(recs[1], 'publish 2’s recording');
    expect(restarts).toHaveLength(1);
    const restart = defined(restarts[0], 'the restart');
    expect(p.stats()).toMatchObject({ state: 'ended', restarts: 1 });
    expect(p.stats().lastExitReason).toBe('exited with code 0');
    const gapMs = runningAgainAt - killedAt;
    const publishes = receiver.events(key).filter((e) => e.kind === 'publish');
    expect(publishes).toHaveLength(2);
    expect(gapMs).toBeLessThan(2000);
    expect(await decodeErrors(rec1.path)).toBe('');
    expect(await decodeErrors(rec2.path, { exactTimestamps: true })).toBe('');
    const second = await packets(rec2.path, 'v');
    expect(defined(second[0], 'a video packet in publish 2').keyframe).toBe(true);

    // FFmpeg keeps the source timestamps (no -copyts needed: the probe-less input has no start
    // offset), so both publishes are on the source timeline; publish 2 starts at the replayed keyframe.
    const first = await mediaSpan(rec1.path, 'v');
    const secondSpan = await mediaSpan(rec2.path, 'v');
    const replayFrom = restart.replayFromMs! / 1000;
    expect(Math.abs(secondSpan.start - replayFrom)).toBeLessThan(0.1);
    const secondStart = secondSpan.start;
    const lost = Math.max(0, secondStart - first.end);
    const duplicated = Math.max(0, first.end - secondStart);
    expect(lost).toBeLessThanOrEqual(2.0);
    expect(Math.abs(secondSpan.end - source.video.end)).toBeLessThanOrEqual(0.5);
    report(
      `(c) SIGKILL at source ${first.end.toFixed(2)} s: new FFmpeg running ${gapMs.toFixed(0)} ms after the kill ` +
        `(restart delay ${restart.delayMs} ms), publishes at ${publishes.map((e) => e.atMs).join(' and ')}; ` +
        `publish 1 covers 0–${first.end.toFixed(2)} s, publish 2 ${secondStart.toFixed(2)}–` +
        `${secondSpan.end.toFixed(2)} s (replayed from the keyframe cluster at ${replayFrom.toFixed(3)} s, ` +
        `${restart.replayBytes} bytes) → media lost ${lost.toFixed(3)} s, repeated ${duplicated.toFixed(3)} s`,
    );
  });

  it('(e) gives up with failed after N failures within the window', async () => {
    const port = await freePort(); // nothing listens here
    const key = 'givekey1234';
    const p = create(key, {
      output: { kind: 'rtmp', url: `rtmp://127.0.0.1:${port}/app/${key}` },
      restart: { maxFailures: 3, windowMs: 30_000, backoffMs: [0, 100] },
    });
    const t0 = performance.now();
    const failed = new Promise<[string, string]>((resolve) => p.on('failed', (r, k) => resolve([r, k])));
    const feeding = feed(p, h264, 4);
    const [reason, kind] = await failed;
    const tookMs = performance.now() - t0;
    await feeding;
    expect(kind).toBe('gave-up');
    expect(reason).toMatch(/3 failures within 30000 ms/);
    expect(reason).toMatch(/Connection refused|ECONNREFUSED/);
    expect(reason).not.toContain(key);
    expect(p.stats()).toMatchObject({ state: 'failed', restarts: 2 });
    await sleep(100);
    expect(liveChildPids()).toEqual([]);
    report(`(e) gave up after ${tookMs.toFixed(0)} ms: "${reason}"`);
  });

  it('(f) stop() and kill() leave no ffmpeg process behind', async () => {
    const p = create('stopkey');
    await feed(p, { ...h264, chunks: h264.chunks.slice(0, 10), arrivalMs: h264.arrivalMs.slice(0, 10) });
    const pid = p.stats().pid!;
    expect(isRunning(pid)).toBe(true);
    const t0 = performance.now();
    await p.stop(3000);
    const stopMs = performance.now() - t0;
    expect(isRunning(pid)).toBe(false);

    const q = create('killkey');
    await feed(q, { ...h264, chunks: h264.chunks.slice(0, 5), arrivalMs: h264.arrivalMs.slice(0, 5) }, 4);
    const qpid = q.stats().pid!;
    const exited = new Promise((resolve) => q.on('exit', resolve));
    q.kill();
    await exited;
    expect(isRunning(qpid)).toBe(false);
    expect(liveChildPids()).toEqual([]);
    expect(ffmpegChildren()).toBe('');
    report(`(f) stop() took ${stopMs.toFixed(0)} ms (FFmpeg flushed and exited); no ffmpeg child left`);
  });
});
