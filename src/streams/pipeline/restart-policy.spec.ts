import { type Clock, RestartPolicy } from './restart-policy';

class FakeClock implements Clock {
  constructor(private t = 1_000_000) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

describe('RestartPolicy', () => {
  it('backs off 0, 250, 500, 1000, 2000, 4000 ms and then stays at the cap', () => {
    const clock = new FakeClock();
    const policy = new RestartPolicy({ maxFailures: 100, windowMs: 60_000, clock });
    const delays = Array.from({ length: 8 }, () => {
      const d = policy.recordFailure();
      clock.advance(100);
      return d.action === 'restart' ? d.delayMs : -1;
    });
    expect(delays).toEqual([0, 250, 500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('gives up on the Nth failure within the window', () => {
    const clock = new FakeClock();
    const policy = new RestartPolicy({ maxFailures: 3, windowMs: 10_000, clock });
    expect(policy.recordFailure()).toEqual({ action: 'restart', delayMs: 0, failuresInWindow: 1 });
    clock.advance(4000);
    expect(policy.recordFailure()).toEqual({ action: 'restart', delayMs: 250, failuresInWindow: 2 });
    clock.advance(4000);
    expect(policy.recordFailure()).toEqual({
      action: 'give-up',
      failuresInWindow: 3,
      reason: '3 failures within 10000 ms',
    });
  });

  it('forgets failures older than the window, so the backoff starts over', () => {
    const clock = new FakeClock();
    const policy = new RestartPolicy({ maxFailures: 3, windowMs: 10_000, clock });
    policy.recordFailure();
    clock.advance(6000);
    policy.recordFailure();
    clock.advance(4000); // the first failure is now exactly windowMs old
    expect(policy.failuresInWindow).toBe(1);
    expect(policy.recordFailure()).toMatchObject({ action: 'restart', delayMs: 250, failuresInWindow: 2 });
    clock.advance(20_000);
    expect(policy.recordFailure()).toMatchObject({ action: 'restart', delayMs: 0, failuresInWindow: 1 });
  });

  it('accepts a custom backoff and rejects nonsense options', () => {
    const policy = new RestartPolicy({
      maxFailures: 5,
      windowMs: 1000,
      backoffMs: [10, 20],
      clock: new FakeClock(),
    });
    expect(
      [1, 2, 3].map(() => policy.recordFailure()).map((d) => d.action === 'restart' && d.delayMs),
    ).toEqual([10, 20, 20]);
    expect(() => new RestartPolicy({ maxFailures: 0, windowMs: 1000 })).toThrow(RangeError);
    expect(() => new RestartPolicy({ maxFailures: 1, windowMs: 0 })).toThrow(RangeError);
  });

  it('gives up on the Nth stall within the stall window, however slowly they come', () => {
    const clock = new FakeClock();
    const policy = new RestartPolicy({
      maxFailures: 5,
      windowMs: 60_000,
      maxStalls: 3,
      stallWindowMs: 300_000,
      clock,
    });
    expect(policy.recordFailure('stall').action).toBe('restart');
    clock.advance(70_000); // beyond the crash window: the crash count alone would never give up
    expect(policy.recordFailure('stall').action).toBe('restart');
    clock.advance(70_000);
    expect(policy.recordFailure('crash').action).toBe('restart'); // crashes do not count as stalls
    clock.advance(70_000);
    expect(policy.recordFailure('stall')).toMatchObject({
      action: 'give-up',
      reason: '3 stalls within 300000 ms (the output does not move)',
    });
  });

  it('forgets stalls older than the stall window', () => {
    const clock = new FakeClock();
    const policy = new RestartPolicy({
      maxFailures: 50,
      windowMs: 1_000,
      maxStalls: 2,
      stallWindowMs: 10_000,
      clock,
    });
    expect(policy.recordFailure('stall').action).toBe('restart');
    clock.advance(10_000);
    expect(policy.recordFailure('stall').action).toBe('restart');
  });
});
