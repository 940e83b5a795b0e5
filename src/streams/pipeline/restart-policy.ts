/** When to restart a crashed FFmpeg and when to give up. Pure logic; time comes from a Clock. */

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const DEFAULT_BACKOFF_MS: readonly number[] = [0, 250, 500, 1000, 2000, 4000];

export interface RestartPolicyOptions {
  /** The failure that makes `maxFailures` failures within `windowMs` gives up. */
  maxFailures: number;
  windowMs: number;
  /** Delay before restart attempt 1, 2, …; the last value repeats. */
  backoffMs?: readonly number[];
  /**
   * Stall kills (the watchdog found FFmpeg not reading because its output does not move) this often
   * within `stallWindowMs` give up too. A dead RTMP path stalls every ~20 s, too slowly for the
   * crash window to ever fill, so without this it would be retried until the creator stops.
   */
  maxStalls?: number;
  stallWindowMs?: number;
  clock?: Clock;
}

export type FailureKind = 'crash' | 'stall';

export type RestartDecision =
  | { action: 'restart'; delayMs: number; failuresInWindow: number }
  | { action: 'give-up'; failuresInWindow: number; reason: string };

export class RestartPolicy {
  private readonly failures: number[] = [];
  private readonly stalls: number[] = [];
  private readonly backoff: readonly number[];
  private readonly clock: Clock;

  constructor(private readonly options: RestartPolicyOptions) {
    if (!(options.maxFailures >= 1) || !(options.windowMs > 0)) {
      throw new RangeError('maxFailures must be >= 1 and windowMs > 0');
    }
    this.backoff = options.backoffMs?.length ? options.backoffMs : DEFAULT_BACKOFF_MS;
    this.clock = options.clock ?? systemClock;
  }

  /** Failures counted in the current window. */
  get failuresInWindow(): number {
    this.prune(this.clock.now());
    return this.failures.length;
  }

  /**
   * Records an unexpected exit and says what to do. The backoff grows with the failures still in
   * the window, so a stream that ran cleanly for a whole window restarts at once again.
   */
  recordFailure(kind: FailureKind = 'crash'): RestartDecision {
    const now = this.clock.now();
    this.prune(now);
    this.failures.push(now);
    const count = this.failures.length;
    const { maxStalls, stallWindowMs = 5 * 60_000 } = this.options;
    if (kind === 'stall' && maxStalls !== undefined) {
      while (now - (this.stalls[0] ?? now) >= stallWindowMs) this.stalls.shift();
      this.stalls.push(now);
      if (this.stalls.length >= maxStalls) {
        return {
          action: 'give-up',
          failuresInWindow: count,
          reason: `${this.stalls.length} stalls within ${stallWindowMs} ms (the output does not move)`,
        };
      }
    }
    if (count >= this.options.maxFailures) {
      return {
        action: 'give-up',
        failuresInWindow: count,
        reason: `${count} failures within ${this.options.windowMs} ms`,
      };
    }
    const delayMs = this.backoff[Math.min(count, this.backoff.length) - 1] ?? 0;
    return { action: 'restart', delayMs, failuresInWindow: count };
  }

  private prune(now: number): void {
    while (now - (this.failures[0] ?? now) >= this.options.windowMs) this.failures.shift();
  }
}
