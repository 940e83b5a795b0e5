import { readFileSync } from 'node:fs';
import { isRunning } from '../../../test/support/ffmpeg-processes';
import { fakeFfmpeg, pipelineHarness, sleep } from '../../../test/support/fake-ffmpeg';
import { loadFixture } from '../../../test/support/record-webm';
import type { PipelineExit } from './ffmpeg-pipeline';

/** How a pipeline ends: kill() at once, stop() letting what is left go out (PipelineDrain). */
describe('FfmpegPipeline stop() and kill() (with a stand-in FFmpeg process)', () => {
  const h = pipelineHarness();
  const { fixture, create, feed } = h;

  it('kill() ends FFmpeg at once; stop() SIGKILLs one that ignores the end of its input', async () => {
    const spawns = fakeFfmpeg(h.dir, () => ({ mode: 'hang' }));
    const a = create(spawns);
    const exited = new Promise<PipelineExit>((resolve) => a.on('exit', resolve));
    a.push(fixture.chunks[0]!);
    await sleep(100);
    a.kill();
    expect(await exited).toMatchObject({ signal: 'SIGKILL', expected: true });
    expect(a.stats().state).toBe('ended');

    const b = create(spawns);
    await feed(b, 1);
    const started = Date.now();
    await b.stop(300);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(b.stats()).toMatchObject({ state: 'ended', lastExitReason: 'killed by SIGKILL' });
    expect(isRunning(spawns.children[1]!.pid!)).toBe(false);
  });

  it('stop() waits for an FFmpeg that still works: reads its input, reports progress, uses CPU', async () => {
    // About 15 reads of 64 KiB, 200 ms apart: several times the idle grace in all.
    const spawns = fakeFfmpeg(h.dir, (n) =>
      n === 0 ? { mode: 'slow', arg: '200' } : { mode: 'busy', arg: '2000' },
    );
    const slow = create(spawns);
    await feed(slow, 0);
    let started = performance.now();
    await slow.stop(600, 20_000);
    expect(slow.stats()).toMatchObject({ state: 'ended', lastExitReason: 'exited with code 0' });
    expect(performance.now() - started).toBeGreaterThan(1500);
    expect(readFileSync(spawns.files[0]!).equals(fixture.data)).toBe(true);

    // Silent but on the CPU for 2 s after the end of its input (no progress report, input all read).
    const busy = create(spawns);
    await feed(busy, 0);
    started = performance.now();
    await busy.stop(600, 20_000);
    expect(busy.stats()).toMatchObject({ state: 'ended', lastExitReason: 'exited with code 0' });
    expect(performance.now() - started).toBeGreaterThan(1500);
  });

  it('stop() gives a working FFmpeg at most maxMs in all', async () => {
    const spawns = fakeFfmpeg(h.dir, () => ({ mode: 'slow', arg: '200' }));
    const p = create(spawns);
    await feed(p, 0);
    const started = performance.now();
    await p.stop(600, 700);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(p.stats()).toMatchObject({ state: 'ended', lastExitReason: 'killed by SIGKILL' });
  });

  it('stop() right after a new WebM stream arrived: the new stream still gets its FFmpeg, whole', async () => {
    const vp8 = loadFixture('vp8-720p');
    // The first FFmpeg takes its stream slowly, so the stop comes while the second stream waits.
    const spawns = fakeFfmpeg(h.dir, (n) => (n === 0 ? { mode: 'slow', arg: '50' } : { mode: 'sink' }));
    const p = create(spawns);
    for (const chunk of fixture.chunks) p.push(chunk);
    for (const chunk of vp8.chunks) p.push(chunk);
    await p.stop(2000, 20_000);
    expect(spawns.files).toHaveLength(2);
    expect(readFileSync(spawns.files[0]!).equals(fixture.data)).toBe(true);
    expect(readFileSync(spawns.files[1]!).equals(vp8.data)).toBe(true);
    expect(p.stats()).toMatchObject({ state: 'ended', restarts: 0 });
  });

  it('stop(): an FFmpeg that ends before its output opened (a refused publish) is retried with the replay', async () => {
    const spawns = fakeFfmpeg(h.dir, (n) => (n === 0 ? { mode: 'refuse' } : { mode: 'sink' }));
    const p = create(spawns);
    for (const chunk of fixture.chunks) p.push(chunk);
    await p.stop(2000, 20_000);
    expect(spawns.files).toHaveLength(2);
    // the init segment and everything from the last keyframe cluster on
    const second = readFileSync(spawns.files[1]!);
    expect(second.length).toBeGreaterThan(0);
    expect(
      fixture.data.subarray(fixture.data.length - 1000).equals(second.subarray(second.length - 1000)),
    ).toBe(true);
    expect(p.stats()).toMatchObject({ state: 'ended', restarts: 1 });
  });

  it('hurry(): a shutdown gives a flush under way at most that long more', async () => {
    const spawns = fakeFfmpeg(h.dir, () => ({ mode: 'slow', arg: '200' }));
    const p = create(spawns);
    await feed(p, 0);
    const started = performance.now();
    const stopped = p.stop(600, 20_000);
    await sleep(100);
    p.hurry(300);
    await stopped;
    expect(performance.now() - started).toBeLessThan(1500);
    expect(p.stats()).toMatchObject({ state: 'ended', lastExitReason: 'killed by SIGKILL' });
  });
});
