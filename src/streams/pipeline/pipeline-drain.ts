import type { FfmpegProcess } from './ffmpeg-process';

/**
 * stop()'s flush: what is left of the input still goes out until it is done, idle or late. FFmpeg is
 * given up on only once it has made no progress for `idleMs`, or when the deadline has passed: a
 * starved FFmpeg that is still working is waited for. Signs of work: a `-progress` report
 * (`progressed()`), input taken (from the queue or from its stdin stream's buffer), CPU time spent (a
 * starved transcode that has not opened its output yet).
 */
export class PipelineDrain {
  private deadline: number;
  private activeAt: number;
  private seen: { proc: FfmpegProcess; ticks: number; pending: number } | undefined;
  /** It gave up: what is left no longer goes out. */
  expired = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly idleMs: number,
    maxMs: number,
    check: () => void,
  ) {
    const now = performance.now();
    this.deadline = now + maxMs;
    this.activeAt = now;
    this.timer = setInterval(check, Math.min(250, idleMs));
  }

  /** FFmpeg reported progress. */
  progressed(): void {
    this.activeAt = performance.now();
  }

  /** At most `maxMs` more (a shutdown, with its own deadline). */
  hurry(maxMs: number): void {
    this.deadline = Math.min(this.deadline, performance.now() + maxMs);
  }

  /**
   * True (and expired from then on) once `proc`, the current FFmpeg, made no progress for idleMs —
   * none current means one is on its way, bounded by the deadline — or at the deadline.
   * `pending`: the bytes still waiting for it (its queue and its stdin stream's buffer).
   */
  due(proc: FfmpegProcess | undefined, pending: number): boolean {
    const now = performance.now();
    if (proc) {
      const at = { proc, ticks: proc.cpuTicks(), pending };
      const prev = this.seen;
      if (!prev || prev.proc !== proc || at.ticks > prev.ticks || at.pending < prev.pending)
        this.activeAt = now;
      this.seen = at;
    } else this.activeAt = now;
    if (now - this.activeAt < this.idleMs && now < this.deadline) return false;
    this.expired = true;
    return true;
  }

  end(): void {
    clearInterval(this.timer);
  }
}
