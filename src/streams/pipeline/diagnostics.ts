/** Small bounded recorders for pipeline diagnostics: recent stderr lines and latency samples. */

/** Keeps the last `capacity` lines of a text stream (FFmpeg's stderr). */
export class LineRing {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly capacity = 20) {}

  push(text: string): void {
    const parts = (this.partial + text).split(/\r\n|\r|\n/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > 1024) {
      parts.push(this.partial);
      this.partial = '';
    }
    for (const line of parts) {
      if (!line.trim()) continue;
      this.lines.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
      if (this.lines.length > this.capacity) this.lines.shift();
    }
  }

  recent(): string[] {
    return this.partial.trim() ? [...this.lines, this.partial].slice(-this.capacity) : [...this.lines];
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The most recent `capacity` latency samples (milliseconds) and their percentiles. */
export class LatencyRecorder {
  private readonly samples: number[] = [];
  private next = 0;
  private total = 0;

  constructor(private readonly capacity = 4096) {}

  record(ms: number): void {
    this.total++;
    if (this.samples.length < this.capacity) this.samples.push(ms);
    else this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Samples in recording order (oldest first). */
  values(): number[] {
    if (this.samples.length < this.capacity) return [...this.samples];
    return [...this.samples.slice(this.next), ...this.samples.slice(0, this.next)];
  }

  summary(): LatencySummary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number): number =>
      sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
    return { count: this.total, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.at(-1) ?? 0 };
  }
}
