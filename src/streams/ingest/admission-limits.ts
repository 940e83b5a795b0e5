/** Bounds on what the ingest side admits (issue 16, items 10 and 13). Pure; time comes from `now`. */

/** Counts open things per key (sockets per address) against a cap. */
export class PerKeyCap {
  private readonly counts = new Map<string, number>();
  constructor(private readonly cap: number) {}

  tryAcquire(key: string): boolean {
    const n = this.counts.get(key) ?? 0;
    if (n >= this.cap) return false;
    this.counts.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = (this.counts.get(key) ?? 0) - 1;
    if (n > 0) this.counts.set(key, n);
    else this.counts.delete(key);
  }
}

/** At most `limit` events per key within a sliding `windowMs`. */
export class SlidingWindowLimit {
  private readonly hits = new Map<string, number[]>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an event; false when it is over the limit (and then it is not recorded). */
  hit(key: string): boolean {
    const t = this.now();
    const list = (this.hits.get(key) ?? []).filter((h) => t - h < this.windowMs);
    if (list.length >= this.limit) {
      this.hits.set(key, list);
      return false;
    }
    list.push(t);
    this.hits.set(key, list);
    if (this.hits.size > 10_000) this.sweep(t);
    return true;
  }

  private sweep(t: number): void {
    for (const [k, list] of this.hits) if (list.every((h) => t - h >= this.windowMs)) this.hits.delete(k);
  }
}

/** A token bucket for messages on one socket: `perSecond` on average, bursts of twice that. */
export class MessageBudget {
  private tokens: number;
  private last: number;
  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = perSecond * 2;
    this.last = this.now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.perSecond * 2, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * Paces a reconnect storm: at most `concurrency` admissions at once (authentication, database) and
 * FFmpeg starts at least `1000 / startsPerSecond` ms apart (each spawn blocks the event loop).
 */
export class AdmissionPacer {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private nextStartAt = 0;

  constructor(
    private readonly concurrency: number,
    private readonly startsPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `fn` when a slot is free. */
  async admit<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  /** Resolves when the next FFmpeg may start. */
  async startTurn(): Promise<void> {
    const t = this.now();
    const at = Math.max(t, this.nextStartAt);
    this.nextStartAt = at + 1000 / this.startsPerSecond;
    if (at > t) await new Promise((r) => setTimeout(r, at - t));
  }
}
