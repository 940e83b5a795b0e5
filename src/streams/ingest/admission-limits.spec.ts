import { AdmissionPacer, MessageBudget, PerKeyCap, SlidingWindowLimit } from './admission-limits';

describe('admission limits', () => {
  it('PerKeyCap counts per key', () => {
    const cap = new PerKeyCap(2);
    expect([cap.tryAcquire('a'), cap.tryAcquire('a'), cap.tryAcquire('a'), cap.tryAcquire('b')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    cap.release('a');
    expect(cap.tryAcquire('a')).toBe(true);
  });

  it('SlidingWindowLimit allows `limit` per window', () => {
    let t = 0;
    const w = new SlidingWindowLimit(2, 60_000, () => t);
    expect([w.hit('u'), w.hit('u'), w.hit('u')]).toEqual([true, true, false]);
    t = 60_000;
    expect(w.hit('u')).toBe(true);
  });

  it('MessageBudget allows a burst of 2× the rate, then the rate', () => {
    let t = 0;
    const b = new MessageBudget(10, () => t);
    let ok = 0;
    for (let i = 0; i < 100; i++) if (b.take()) ok++;
    expect(ok).toBe(20);
    t = 1000;
    ok = 0;
    for (let i = 0; i < 100; i++) if (b.take()) ok++;
    expect(ok).toBe(10);
  });

  it('AdmissionPacer runs at most `concurrency` at once and spaces starts', async () => {
    const pacer = new AdmissionPacer(2, 50);
    let running = 0;
    let peak = 0;
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, () =>
        pacer.admit(async () => {
          running++;
          peak = Math.max(peak, running);
          await pacer.startTurn();
          starts.push(performance.now());
          await new Promise((r) => setTimeout(r, 5));
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    // 6 starts at 50 per second: at least 5 × 20 ms from the first to the last (timers may fire 1–2 ms early)
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(90);
  });
});
