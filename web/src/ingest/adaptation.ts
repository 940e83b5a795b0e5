/**
 * Uplink adaptation (issue 13), pure: the quality ladder and the rules that move along it, fed by what
 * the server's acknowledgements tell (uplink-meter.ts): the age of the oldest unacknowledged media and
 * the uplink's real throughput. Injected time only; no timers, no DOM.
 *
 * - Down: when the backlog stays above `downBacklogMs` for `downSustainMs` (a keyframe's burst passes
 *   sooner) or passes twice that at once, jump to the best rung that fits `headroom` × the
 *   measured throughput (at least one rung down), at most once per `cooldownMs`.
 * - Drop: when media waiting in the client's own queue is older than `flushQueuedMs` (or the backlog
 *   passes `flushBacklogMs` while something is queued), discard the queue and restart the recorder, so
 *   the server gets a new header and a keyframe: stale media goes in whole keyframe groups.
 * - Up (a probe): after a healthy backlog for the hold of the rung above, one rung up. A probe that has
 *   to step down again within `probeWindowMs` failed: each failure of that rung in the last
 *   `failureMemoryMs` doubles its hold (up to `maxUpHoldMs`), so a link between two rungs settles
 *   instead of oscillating, while a rung that never failed is tried again after `upHoldMs`.
 * - A busy server (its acks late by its own event-loop lag, which it reports) is not a slow uplink: the
 *   lag it reported lately is taken off the backlog before deciding to step down or drop media, but
 *   not before judging the backlog healthy enough to probe up (a shaped link stays shaped).
 */

export interface Rung {
  height: number;
  videoBps: number;
  audioBps: number;
}

/**
 * Best first. A congested TCP connection carries well under its link's rate (a 400 kbit/s uplink gave
 * 250–350 kbit/s in our shaped tests), so the last rung leaves room for that.
 */
export const LADDER: readonly Rung[] = [
  { height: 720, videoBps: 2_500_000, audioBps: 128_000 },
  { height: 720, videoBps: 1_200_000, audioBps: 64_000 },
  { height: 480, videoBps: 600_000, audioBps: 64_000 },
  { height: 360, videoBps: 300_000, audioBps: 32_000 },
  { height: 240, videoBps: 150_000, audioBps: 32_000 },
];

export const rungBps = (r: Rung): number => r.videoBps + r.audioBps;

/** "480p · 600 kbit/s", "720p · 2.5 Mbit/s" (the video's rate). */
export function rungLabel(r: Rung): string {
  const k = r.videoBps / 1000;
  return `${r.height}p · ${k >= 1000 ? `${+(k / 1000).toFixed(1)} Mbit/s` : `${Math.round(k)} kbit/s`}`;
}

export interface PolicyOptions {
  downBacklogMs: number;
  downSustainMs: number;
  flushBacklogMs: number;
  flushQueuedMs: number;
  healthyBacklogMs: number;
  cooldownMs: number;
  upHoldMs: number;
  maxUpHoldMs: number;
  probeWindowMs: number;
  /** How long a failed probe of a rung counts against probing it again. */
  failureMemoryMs: number;
  /** Acks this late: the server is busy, the backlog says nothing about the uplink. */
  acksOverdueMs: number;
  headroom: number;
}

export const DEFAULT_POLICY: PolicyOptions = {
  downBacklogMs: 600,
  downSustainMs: 500,
  flushBacklogMs: 1600,
  flushQueuedMs: 1000,
  healthyBacklogMs: 400,
  cooldownMs: 1500,
  upHoldMs: 4000,
  maxUpHoldMs: 40_000,
  probeWindowMs: 10_000,
  failureMemoryMs: 120_000,
  acksOverdueMs: 600,
  headroom: 0.85,
};

export interface UplinkSample {
  now: number;
  /** Age of the oldest media not yet acknowledged (sent or still queued), 0 when none. */
  backlogMs: number;
  /** Age of the oldest media still in the client's queue (not sent), 0 when empty. */
  queuedAgeMs: number;
  /** Bits per second the server acknowledged over the last couple of seconds; null before any ack. */
  ackedBps: number | null;
  /** The same over the last second (a fresher estimate when stepping down); defaults to ackedBps. */
  recentBps?: number | null;
  /**
   * The largest event-loop lag the server reported lately: acks that waited for a busy server make
   * media look older than the uplink made it, so that much is taken off the backlog and the queue's age.
   */
  serverLagMs?: number;
  /**
   * How long since the last ack. The server acks several times a second while media arrives (a
   * congested uplink still trickles in); acks overdue mean a server too busy to read, which its next
   * ack will report as lag: no step down on the backlog until then.
   */
  ackAgeMs?: number;
}

export type Decision =
  | { kind: 'hold' }
  | { kind: 'switch'; rung: number; direction: 'down' | 'up'; flush: boolean }
  | { kind: 'flush' };

export class AdaptationPolicy {
  private rungIndex: number;
  private lastSwitchAt = -Infinity;
  private lastUpAt = -Infinity;
  private lastFlushAt = -Infinity;
  private healthySince: number | null = null;
  private congestedSince: number | null = null;
  /** The backlog when we last stepped down: while it drains, one step was enough. */
  private backlogAtDown = Infinity;
  /** When probes of each rung failed. */
  private failures = new Map<number, number[]>();
  /** When a probe brought us to the current rung (null: we came down to it). */
  private arrivedUpAt: number | null = null;
  readonly ladder: readonly Rung[];

  constructor(
    private readonly opts: PolicyOptions = DEFAULT_POLICY,
    ladder: readonly Rung[] = LADDER,
    start = 0,
  ) {
    this.ladder = ladder;
    this.rungIndex = Math.min(Math.max(0, start), ladder.length - 1);
  }

  get rung(): number {
    return this.rungIndex;
  }

  get current(): Rung {
    return this.rungAt(this.rungIndex);
  }

  private rungAt(i: number): Rung {
    const r = this.ladder[i];
    if (!r) throw new RangeError(`no rung ${i} in a ladder of ${this.ladder.length}`);
    return r;
  }

  /** How long healthy before probing the rung above (grows with its failed probes). */
  holdMs(now: number): number {
    if (this.rungIndex === 0) return Infinity;
    const recent = (this.failures.get(this.rungIndex - 1) ?? []).filter(
      (t) => now - t < this.opts.failureMemoryMs,
    );
    return Math.min(this.opts.upHoldMs * 2 ** recent.length, this.opts.maxUpHoldMs);
  }

  decide(sample: UplinkSample): Decision {
    // The server's lag excuses a backlog only when it would cost the creator quality or media (a step
    // down, a flush); whether the uplink has headroom to probe up is judged on the backlog as measured.
    const lag = sample.serverLagMs ?? 0;
    const s = {
      ...sample,
      backlogMs: Math.max(0, sample.backlogMs - lag),
      queuedAgeMs: Math.max(0, sample.queuedAgeMs - lag),
    };
    const o = this.opts;
    if (s.ackedBps === null) return { kind: 'hold' };
    const bps = Math.min(s.ackedBps, s.recentBps ?? s.ackedBps);
    const bottom = this.ladder.length - 1;
    const stale = s.queuedAgeMs > o.flushQueuedMs || (s.queuedAgeMs > 0 && s.backlogMs > o.flushBacklogMs);
    if (stale && s.now - this.lastFlushAt >= 500) {
      this.lastFlushAt = s.now;
      this.healthySince = null;
      const to =
        this.rungIndex < bottom && s.now - this.lastSwitchAt >= o.cooldownMs
          ? this.fitting(bps)
          : this.rungIndex;
      if (to !== this.rungIndex) return this.down(s.now, to, true, s.backlogMs);
      return { kind: 'flush' };
    }
    if (s.backlogMs > o.downBacklogMs) {
      this.healthySince = null;
      if ((s.ackAgeMs ?? 0) > o.acksOverdueMs) return { kind: 'hold' };
      this.congestedSince ??= s.now;
      const sustained = s.now - this.congestedSince >= o.downSustainMs || s.backlogMs > 2 * o.downBacklogMs;
      const draining = s.now - this.lastSwitchAt < 4 * o.cooldownMs && s.backlogMs < this.backlogAtDown;
      if (sustained && !draining && this.rungIndex < bottom && s.now - this.lastSwitchAt >= o.cooldownMs) {
        // A probe that does not fit goes back where it came from; otherwise to what the uplink carries.
        const probing = s.now - this.lastUpAt < o.probeWindowMs;
        return this.down(s.now, probing ? this.rungIndex + 1 : this.fitting(bps), false, s.backlogMs);
      }
      return { kind: 'hold' };
    }
    this.congestedSince = null;
    if (sample.backlogMs <= o.healthyBacklogMs) this.healthySince ??= s.now;
    else this.healthySince = null;
    this.forgetFailuresAfterGoodProbe(s.now);
    const hold = this.holdMs(s.now);
    if (
      this.healthySince !== null &&
      s.now - this.healthySince >= hold &&
      s.now - this.lastSwitchAt >= hold
    ) {
      this.rungIndex--;
      this.lastSwitchAt = s.now;
      this.lastUpAt = s.now;
      this.arrivedUpAt = s.now;
      this.healthySince = s.now;
      this.backlogAtDown = -Infinity; // a probe that does not fit steps down as soon as it shows
      return { kind: 'switch', rung: this.rungIndex, direction: 'up', flush: false };
    }
    return { kind: 'hold' };
  }

  /**
   * A probe that has held healthy for the base hold worked: the uplink carries more than when the rungs
   * above failed, so their failures from before it stop counting, and a link that recovered climbs
   * back at the base pace. On a link between two rungs we come down to the one that fits, never up by a
   * probe, so its failed probes keep backing off.
   */
  private forgetFailuresAfterGoodProbe(now: number): void {
    const since = this.arrivedUpAt;
    if (since === null || this.healthySince === null || now - this.healthySince < this.opts.upHoldMs) return;
    if (now - since < this.opts.upHoldMs) return;
    for (const [rung, times] of this.failures)
      if (rung < this.rungIndex)
        this.failures.set(
          rung,
          times.filter((t) => t >= since),
        );
    this.arrivedUpAt = null;
  }

  /** The best rung below the current one that fits the measured throughput (at least one step down). */
  private fitting(ackedBps: number): number {
    const budget = ackedBps * this.opts.headroom;
    let to = this.rungIndex + 1;
    while (to < this.ladder.length - 1 && rungBps(this.rungAt(to)) > budget) to++;
    return Math.min(to, this.ladder.length - 1);
  }

  private down(now: number, to: number, flush: boolean, backlogMs: number): Decision {
    this.backlogAtDown = backlogMs;
    if (now - this.lastUpAt < this.opts.probeWindowMs) {
      const failed = this.rungIndex; // the rung the probe reached
      this.failures.set(failed, [...(this.failures.get(failed) ?? []), now]);
      this.lastUpAt = -Infinity;
    }
    this.rungIndex = to;
    this.lastSwitchAt = now;
    this.arrivedUpAt = null;
    this.healthySince = null;
    this.congestedSince = null;
    return { kind: 'switch', rung: to, direction: 'down', flush };
  }
}
