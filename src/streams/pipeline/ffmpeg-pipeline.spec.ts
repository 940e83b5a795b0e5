import { readFileSync } from 'node:fs';
import { fakeFfmpeg, pipelineHarness, sleep } from '../../../test/support/fake-ffmpeg';
import { isRunning } from '../../../test/support/ffmpeg-processes';
import { loadFixture } from '../../../test/support/record-webm';
import { liveChildPids } from './child-registry';
import {
  type PipelineExit,
  type PipelineRestart,
  type PipelineState,
  UnsupportedMediaError,
} from './ffmpeg-pipeline';
import { WebmSplitter } from './webm-splitter';
import type { WebmCluster } from './webm-types';

describe('FfmpegPipeline (with a stand-in FFmpeg process)', () => {
  const h = pipelineHarness();
  const { fixture, create, feed } = h;
  const reference: WebmCluster[] = [];

  beforeAll(() => {
    const splitter = new WebmSplitter();
    splitter.on('cluster', (c) => reference.push(c));
    splitter.push(fixture.data);
    splitter.end();
  });

  it('passes every byte to FFmpeg, reports its states and ends cleanly on stop()', async () => {
    const spawns = fakeFfmpeg(h.dir, () => ({ mode: 'sink' }));
    const observed: number[] = [];
    const p = create(spawns, { onWriteLatency: (ms) => observed.push(ms) });
    const states: PipelineState[] = [];
    p.on('status', (s) => states.at(-1) !== s.state && states.push(s.state));
    await feed(p);
    while (p.stats().state !== 'running') await sleep(10);
    await p.stop(2000);
    expect(readFileSync(spawns.files[0]!).equals(fixture.data)).toBe(true);
    expect(states).toEqual(['running', 'stopping', 'ended']);
    expect(p.stats()).toMatchObject({
      state: 'ended',
      bytesIn: fixture.data.length,
      bytesOut: fixture.data.length,
      queueBytes: 0,
      droppedClusters: 0,
      restarts: 0,
      lastExitReason: 'exited with code 0',
      outputBytes: fixture.data.length,
      pid: null,
    });
    expect(isRunning(spawns.children[0]!.pid!)).toBe(false);
    const latency = p.latencySummary();
    expect(latency.count).toBeGreaterThanOrEqual(fixture.chunks.length);
    // (Timing is the e2e test's business; here: every write was measured.)
    expect(p.latencySamples().every((ms) => ms >= 0 && ms < 10_000)).toBe(true);
    expect(observed).toEqual(p.latencySamples());
  });

  it('takes the input whatever its chunk boundaries: a first chunk of one byte (a busy Chromium)', async () => {
    const spawns = fakeFfmpeg(h.dir, () => ({ mode: 'sink' }));
    const p = create(spawns);
    const [head, ...rest] = fixture.chunks;
    p.push(head!.subarray(0, 1));
    await sleep(5);
    p.push(head!.subarray(1));
    for (const chunk of rest) p.push(chunk);
    while (p.stats().state !== 'running') await sleep(10);
    await p.stop(2000);
    expect(readFileSync(spawns.files[0]!).equals(fixture.data)).toBe(true);
    expect(p.stats()).toMatchObject({ state: 'ended', restarts: 0, droppedClusters: 0 });
  });

  it('restarts a crashed FFmpeg with the init segment and everything since the last keyframe cluster', async () => {
    const crashAt = Math.floor(fixture.data.length / 2);
    const spawns = fakeFfmpeg(h.dir, (n) =>
      n === 0 ? { mode: 'crash', arg: String(crashAt) } : { mode: 'sink' },
    );
    const p = create(spawns);
    const exits: PipelineExit[] = [];
    const restarts: PipelineRestart[] = [];
    p.on('exit', (e) => exits.push(e));
    p.on('restart', (r) => restarts.push(r));
    await feed(p, 5);
    // The crash comes when the stand-in has read half the input, which on a busy host can be after
    // the last chunk was pushed: stopping before it would make it an expected exit.
    for (const until = Date.now() + 10_000; restarts.length === 0 && Date.now() < until;) await sleep(10);
    await p.stop(2000);

    expect(exits[0]).toMatchObject({ code: 1, expected: false });
    expect(restarts).toHaveLength(1);
    expect(p.stats()).toMatchObject({ state: 'ended', restarts: 1 });
    const fed = readFileSync(spawns.files[0]!).length;
    const second = readFileSync(spawns.files[1]!);
    const got: WebmCluster[] = [];
    const splitter = new WebmSplitter();
    splitter.on('cluster', (c) => got.push(c));
    splitter.push(second);
    expect(splitter.end()).toBe(true);
    expect(splitter.init!.data.equals(second.subarray(0, splitter.init!.data.length))).toBe(true);
    // The new FFmpeg starts at a keyframe cluster and gets every cluster from there to the end…
    const first = reference.findIndex((c) => c.timestampMs === got[0]!.timestampMs);
    expect(reference[first]!.keyframe).toBe(true);
    expect(restarts[0]!.replayFromMs).toBe(reference[first]!.timestampMs);
    expect(got.map((c) => c.data.length)).toEqual(reference.slice(first).map((c) => c.data.length));
    got.forEach((c, i) => expect(c.data.equals(reference[first + i]!.data)).toBe(true));
    // …and that keyframe cluster starts before the point where the old one died: no gap.
    const offsetOf = (index: number): number =>
      splitter.init!.data.length + reference.slice(0, index).reduce((n, c) => n + c.data.length, 0);
    expect(offsetOf(first)).toBeLessThanOrEqual(fed);
    expect(offsetOf(first)).toBeGreaterThan(fed - 2_000_000);
  });

  it('gives up after maxFailures within the window and never leaks the stream key', async () => {
    const spawns = fakeFfmpeg(h.dir, () => ({ mode: 'fail-now', arg: 'rtmp://127.0.0.1:1/app/SECRETKEY' }));
    const p = create(spawns);
    const failed = new Promise<[string, string]>((resolve) =>
      p.on('failed', (reason, kind) => resolve([reason, kind])),
    );
    void feed(p);
    const [reason, kind] = await failed;
    expect(kind).toBe('gave-up');
    expect(reason).toMatch(/3 failures within 60000 ms/);
    expect(reason).toContain('SEC…KEY');
    expect(reason).not.toContain('SECRETKEY');
    expect(p.stats()).toMatchObject({ state: 'failed', restarts: 2 });
    expect(spawns.files).toHaveLength(3);
    await sleep(50);
    expect(liveChildPids()).toEqual([]);
  });

  it('fails with invalid-media on garbage and rejects unsupported mime types up front', async () => {
    const spawns = fakeFfmpeg(h.dir, () => ({ mode: 'sink' }));
    expect(() => create(spawns, { mimeType: 'video/mp4;codecs=avc1,mp4a' })).toThrow(UnsupportedMediaError);
    const p = create(spawns);
    const failed = new Promise<string>((resolve) => p.on('failed', (_reason, kind) => resolve(kind)));
    p.push(Buffer.from('definitely not a webm file'));
    expect(await failed).toBe('invalid-media');
    // (SIGKILLed at once; on a loaded machine the kernel may take a moment to reap it.)
    const pid = spawns.children.at(-1)!.pid!;
    for (let i = 0; i < 100 && isRunning(pid); i++) await sleep(20);
    expect(isRunning(pid)).toBe(false);
  });

  it('trusts the Tracks over the mime type: VP8 announced, H.264 sent → FFmpeg restarted with -c:v copy', async () => {
    const spawns = fakeFfmpeg(h.dir, () => ({ mode: 'sink' }));
    const p = create(spawns, { mimeType: 'video/webm;codecs=vp8,opus' });
    await feed(p, 1);
    await p.stop(2000);
    expect(spawns.argv[0]).toContain('libx264');
    expect(spawns.argv[1]![spawns.argv[1]!.indexOf('-c:v') + 1]).toBe('copy');
    expect(readFileSync(spawns.files[1]!).equals(fixture.data)).toBe(true);
    expect(p.stats().restarts).toBe(0);
  });

  it('switches to a new WebM stream on the same input: the old FFmpeg gets all of its stream, a new one the rest', async () => {
    const vp8 = loadFixture('vp8-720p');
    const spawns = fakeFfmpeg(h.dir, () => ({ mode: 'sink' }));
    const p = create(spawns);
    const exits: PipelineExit[] = [];
    const failures: string[] = [];
    p.on('exit', (e) => exits.push(e));
    p.on('failed', (reason) => failures.push(reason));
    await feed(p, 1);
    for (const chunk of vp8.chunks) {
      p.push(chunk);
      await sleep(1);
    }
    while (spawns.files.length < 2 || p.stats().state !== 'running') await sleep(10);
    await p.stop(2000);
    expect(failures).toEqual([]);
    expect(spawns.files).toHaveLength(2);
    expect(readFileSync(spawns.files[0]!).equals(fixture.data)).toBe(true);
    expect(readFileSync(spawns.files[1]!).equals(vp8.data)).toBe(true);
    // The new FFmpeg transcodes the VP8 stream; the switch is no failure and no restart.
    expect(spawns.argv[0]![spawns.argv[0]!.indexOf('-c:v') + 1]).toBe('copy');
    expect(spawns.argv[1]).toContain('libx264');
    expect(exits.map((e) => e.expected)).toEqual([true, true]);
    expect(p.stats()).toMatchObject({ state: 'ended', restarts: 0, droppedClusters: 0 });
    expect(p.segments).toBe(2);
  });

  it('gives up after repeated stall kills even though they are too slow for the crash window', async () => {
    const spawns = fakeFfmpeg(h.dir, () => ({ mode: 'stuck' }));
    const p = create(spawns, {
      restart: { maxFailures: 100, windowMs: 60_000, backoffMs: [0], maxStalls: 3, stallWindowMs: 60_000 },
      stallTimeoutMs: 200,
      statusIntervalMs: 50,
    });
    const failed = new Promise<[string, string]>((resolve) => p.on('failed', (r, k) => resolve([r, k])));
    const feeding = feed(p, 1);
    const [reason, kind] = await failed;
    await feeding;
    expect(kind).toBe('gave-up');
    expect(reason).toMatch(/^gave up after 3 stalls within 60000 ms .*; last: stalled/);
    expect(spawns.children).toHaveLength(3);
  });
});
