import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import type { FfmpegPipeline } from './ffmpeg-pipeline';
import { FfmpegPipelineFactory } from './ffmpeg-pipeline.factory';
import type { Spawner } from './ffmpeg-process';
import { SpawnGate } from './spawn-gate';

/** Counts event-loop turns (one setImmediate per turn) while `fn` runs. */
async function countingTurns<T>(fn: (turn: () => number) => Promise<T>): Promise<T> {
  let turns = 0;
  let handle = setImmediate(function spin() {
    turns++;
    handle = setImmediate(spin);
  });
  try {
    return await fn(() => turns);
  } finally {
    clearImmediate(handle);
  }
}

const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('SpawnGate (issue 16, item 10: a reconnect storm must not stall the event loop)', () => {
  it('runs each spawn in its own loop turn, `1000 / perSecond` ms after the previous one returned', async () => {
    const gate = new SpawnGate(50); // 20 ms apart
    const runs = await countingTurns((turn) =>
      Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          gate.run(() => {
            const start = performance.now();
            if (i === 0) busy(150); // a slow spawn: the others are all overdue by a clock-based schedule
            return { turn: turn(), start, end: performance.now() };
          }),
        ),
      ),
    );
    expect(new Set(runs.map((r) => r.turn)).size).toBe(5);
    for (let i = 1; i < runs.length; i++)
      expect(runs[i]!.start - runs[i - 1]!.end).toBeGreaterThanOrEqual(18); // timers may fire 1–2 ms early
  });

  it('passes a spawn that throws to its caller and goes on with the next', async () => {
    const gate = new SpawnGate(1000);
    const failed = gate.run(() => {
      throw new Error('ENOENT');
    });
    await expect(failed).rejects.toThrow('ENOENT');
    await expect(gate.run(() => 42)).resolves.toBe(42);
    expect(gate.queued).toBe(0);
  });

  it("the app's pipelines spawn FFmpeg one per turn, spaced out, when many start at once", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vybzz-gate-'));
    const config = { ffmpegPath: 'ffmpeg', ingest: { pipelineStartsPerSecond: 50 } } as unknown as AppConfig;
    const factory = new FfmpegPipelineFactory(config);
    const pipelines: FfmpegPipeline[] = [];
    try {
      const spawns = await countingTurns(async (turn) => {
        const at: Array<{ turn: number; t: number }> = [];
        const stand: Spawner = (_cmd, _args, options) => {
          at.push({ turn: turn(), t: performance.now() });
          return spawn('cat', [], options);
        };
        for (let i = 0; i < 4; i++) {
          const output = { kind: 'hls' as const, dir: join(dir, `s${i}`) };
          pipelines.push(
            factory.create({
              mimeType: 'video/webm;codecs=h264,opus',
              output,
              ffmpegPath: 'ffmpeg',
              label: `s${i}`,
              restart: { maxFailures: 1, windowMs: 1000 },
              spawn: stand,
            }),
          );
        }
        while (at.length < 4) await new Promise((r) => setTimeout(r, 10));
        return at;
      });
      expect(new Set(spawns.map((s) => s.turn)).size).toBe(4);
      for (let i = 1; i < spawns.length; i++)
        expect(spawns[i]!.t - spawns[i - 1]!.t).toBeGreaterThanOrEqual(18);
    } finally {
      pipelines.forEach((p) => p.kill());
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
