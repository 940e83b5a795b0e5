/** The client's timeouts and its one interval, cleared together. */
export class Timers {
  private timeouts = new Set<ReturnType<typeof setTimeout>>();
  private interval: ReturnType<typeof setInterval> | null = null;

  after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timeouts.delete(t);
      fn();
    }, ms);
    this.timeouts.add(t);
  }

  /** Starts the interval unless it runs already. */
  every(ms: number, fn: () => void): void {
    this.interval ??= setInterval(fn, ms);
  }

  clear(): void {
    for (const t of this.timeouts) clearTimeout(t);
    this.timeouts.clear();
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
  }
}
