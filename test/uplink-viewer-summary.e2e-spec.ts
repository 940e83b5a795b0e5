/**
 * The viewer check of the shaped-uplink walk (test/support/uplink-viewer.ts) must be able to fail: fed
 * the samples of a player that stalls, stops, errors or loses its <video>, it says so.
 */
import { playedAcross, summarizeViewer } from './support/uplink-viewer';
import type { ViewerLog, ViewerSample } from './support/uplink-viewer';

/** Samples every 250 ms over `sec` seconds; `at(t)` gives the sample's fields at t ms. */
function log(sec: number, at: (t: number) => Partial<ViewerSample> & { currentTime: number }): ViewerLog {
  const samples: ViewerSample[] = [];
  for (let t = 0; t <= sec * 1000; t += 250)
    samples.push({
      t,
      readyState: 4,
      paused: false,
      error: null,
      width: 640,
      height: 480,
      present: true,
      buffered: [],
      ...at(t),
    });
  return { samples, events: [] };
}

describe('summarizeViewer', () => {
  it('passes a player that kept playing through a rendition change', () => {
    const s = summarizeViewer(
      log(30, (t) => ({
        currentTime: 5 + t / 1000,
        ...(t > 10_000 && t < 20_000 ? { width: 320, height: 240 } : {}),
      })),
      0,
      30_000,
    );
    expect(s).toMatchObject({ maxStallMs: 0, errors: 0, missing: 0, paused: 0, playingAtEnd: true });
    expect(s.sizes).toEqual(['640x480', '320x240', '640x480']);
    expect(s.playedRatio).toBeCloseTo(1, 2);
  });

  it('catches a stall at a quality step', () => {
    // frozen from 10 s to 12.5 s, then playing again
    const s = summarizeViewer(
      log(30, (t) => ({ currentTime: t < 10_000 ? t / 1000 : t < 12_500 ? 10 : t / 1000 - 2.5 })),
      0,
      30_000,
    );
    expect(s.maxStallMs).toBeGreaterThanOrEqual(2500);
    expect(s.playingAtEnd).toBe(true);
  });

  it('catches a player that stopped, errored or went away', () => {
    const stopped = summarizeViewer(
      log(30, (t) => ({ currentTime: Math.min(t, 20_000) / 1000 })),
      0,
      30_000,
    );
    expect(stopped.maxStallMs).toBeGreaterThanOrEqual(10_000);
    expect(stopped.playingAtEnd).toBe(false);
    const failed = summarizeViewer(
      log(30, (t) => ({
        currentTime: Math.min(t, 20_000) / 1000,
        error: t > 20_000 ? 3 : null,
        paused: t > 20_000,
        present: t < 25_000,
      })),
      0,
      30_000,
    );
    expect(failed.errors).toBeGreaterThan(0);
    expect(failed.paused).toBeGreaterThan(0);
    expect(failed.missing).toBeGreaterThan(0);
    // samples that stop coming count as a stall up to the end of the window
    const silent = summarizeViewer(
      log(10, (t) => ({ currentTime: t / 1000 })),
      0,
      15_000,
    );
    expect(silent.maxStallMs).toBe(5000);
  });

  it('tells which quality steps the viewer played across', () => {
    const steps = [8, 20, 40];
    // played from 0 to 25 s, then stopped
    expect(
      playedAcross(
        log(30, (t) => ({ currentTime: Math.min(t, 25_000) / 1000 })),
        steps,
      ),
    ).toEqual([true, true, false]);
    // joined at 10 s: the first step was before it started
    expect(
      playedAcross(
        log(35, (t) => ({ currentTime: 10 + t / 1000 })),
        steps,
      ),
    ).toEqual([false, true, true]);
  });
});
