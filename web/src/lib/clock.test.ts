import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClock } from './clock';

describe('createClock', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('ticks every period while subscribed, with a snapshot that holds between ticks', () => {
    const clock = createClock(1000);
    const onTick = vi.fn();
    const unsubscribe = clock.subscribe(onTick);
    const first = clock.getSnapshot();
    vi.advanceTimersByTime(400);
    expect(clock.getSnapshot()).toBe(first); // React needs the same value until something changed
    vi.advanceTimersByTime(600);
    expect(onTick).toHaveBeenCalledTimes(1);
    expect(clock.getSnapshot()).toBe(first + 1000);
    vi.advanceTimersByTime(2000);
    expect(onTick).toHaveBeenCalledTimes(3);
    unsubscribe();
  });

  it('stops its timer when the last subscriber leaves and restarts from the present', () => {
    const clock = createClock(1000);
    const a = vi.fn();
    const b = vi.fn();
    const offA = clock.subscribe(a);
    const offB = clock.subscribe(b);
    expect(vi.getTimerCount()).toBe(1); // one timer for every subscriber
    offA();
    vi.advanceTimersByTime(1000);
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledTimes(1);
    offB();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(60_000);
    const off = clock.subscribe(a);
    expect(clock.getSnapshot()).toBe(Date.now());
    off();
  });
});
