/**
 * Spaces out FFmpeg spawns (issue 16, item 10). `child_process.spawn` blocks the event loop until the
 * child has exec'd: a fork of the whole app, then the wait for the child (and for this process again)
 * to be scheduled, tens of ms on a busy machine. Pacing the starts by the clock is not enough: after
 * a stall the overdue timers fire together and several spawns land in one loop turn (profiled: up
 * to 16 in one 500 ms stall). Here each spawn gets its own timer callback, one at a time, and the
 * next one comes `1000 / perSecond` ms after the previous spawn *returned*, so the event loop runs
 * (sockets, acks, timers) between any two spawns, however late it is.
 */
export class SpawnGate {
  private readonly waiting: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private lastEnd = Number.NEGATIVE_INFINITY;
  private readonly gapMs: number;

  constructor(
    perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.gapMs = 1000 / perSecond;
  }

  /** Spawns waiting for their turn. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `spawn` in its own turn; resolves once it has run (a throw is passed on to the caller). */
  run<T>(spawn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        try {
          resolve(spawn());
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        } finally {
          this.lastEnd = this.now();
        }
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer || this.waiting.length === 0) return;
    const wait = Math.max(0, this.lastEnd + this.gapMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.waiting.shift()?.();
      this.schedule();
    }, wait);
  }
}
