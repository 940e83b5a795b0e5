/**
 * The client's own send queue (pure): media waits HERE, where it can still be dropped, rather than in
 * `ws.send`'s buffer, the kernel's or the network's, where it cannot. A chunk goes out only while the
 * unacknowledged bytes stay within `windowSec` of the measured throughput (at least `minWindowBytes`),
 * and the oldest unacknowledged chunk was sent less than `maxInFlightAgeMs` ago; one chunk may always be in
 * flight. Before the server has acknowledged anything (or with a server that never does) the window is
 * open.
 */

export interface QueuedChunk<T> {
  data: T;
  bytes: number;
  capturedAt: number;
  /** Which recorder (WebM segment) it came from, and where in that recording it starts. */
  segment: number;
  offset?: number;
}

export interface WindowOptions {
  windowSec: number;
  minWindowBytes: number;
  maxInFlightAgeMs: number;
}

export const DEFAULT_WINDOW: WindowOptions = {
  windowSec: 1,
  minWindowBytes: 48 * 1024,
  maxInFlightAgeMs: 450,
};

export interface InFlight {
  unackedBytes: number;
  /** How long ago the oldest unacknowledged chunk was sent (0 when none). */
  oldestAgeMs: number;
  ackedBps: number | null;
}

export class SendQueue<T> {
  private items: QueuedChunk<T>[] = [];

  constructor(private readonly opts: WindowOptions = DEFAULT_WINDOW) {}

  push(c: QueuedChunk<T>): void {
    this.items.push(c);
  }

  get length(): number {
    return this.items.length;
  }

  get bytes(): number {
    return this.items.reduce((n, c) => n + c.bytes, 0);
  }

  peek(): QueuedChunk<T> | null {
    return this.items[0] ?? null;
  }

  /** Keeps only the chunks `fn` returns (possibly changed), in order; returns the bytes removed. */
  rewrite(fn: (c: QueuedChunk<T>) => QueuedChunk<T> | null): number {
    const before = this.bytes;
    this.items = this.items.map(fn).filter((c): c is QueuedChunk<T> => c !== null && c.bytes > 0);
    return before - this.bytes;
  }

  oldestCapture(): number | null {
    return this.items[0]?.capturedAt ?? null;
  }

  /** The next chunk to send now, or null (empty, or the window is full). */
  take(f: InFlight): QueuedChunk<T> | null {
    const head = this.items[0];
    if (!head) return null;
    if (f.unackedBytes > 0 && f.ackedBps !== null) {
      const cap = Math.max(this.opts.minWindowBytes, (f.ackedBps / 8) * this.opts.windowSec);
      if (f.unackedBytes + head.bytes > cap || f.oldestAgeMs > this.opts.maxInFlightAgeMs) return null;
    }
    return this.items.shift()!;
  }

  /** Discards everything queued (stale media); returns the bytes dropped. */
  clear(): number {
    const n = this.bytes;
    this.items = [];
    return n;
  }

  /** Discards the queued chunks of one segment (a recorder that was replaced). */
  dropSegment(segment: number): number {
    const keep = this.items.filter((c) => c.segment !== segment);
    const n = this.bytes - keep.reduce((s, c) => s + c.bytes, 0);
    this.items = keep;
    return n;
  }
}
