/** What a shaped-uplink walk (uplink-walk.ts) measured: delays per window, the dialog's texts, recorders. */
import type { WalkObservation, WalkRecord } from './uplink-walk';

export interface WalkSummary {
  delayKind: 'ack' | 'bytesIn';
  maxDelayMs: number;
  /** Never below 0 when every ack is tied to its recording (media cannot arrive before its capture). */
  minDelayMs: number;
  maxDelayShapedMs: number;
  /** From 10 s after the uplink recovered to Stop Streaming. */
  maxDelayAfterRecoveryMs: number;
  /**
   * Delay samples in each window: a maximum over a window without samples says nothing (0), so the
   * walks require enough of them (acks come every 200 ms while media flows, two samples each).
   */
  samples: { all: number; shaped: number; afterRecovery: number };
  /** Acks the probe could not tie to a recorder (no sample): a probe or protocol mismatch. */
  unmappedAcks: number;
  broadcastSec: number;
  /** Observations where the dialog did not show LIVE / the server did not say live (after the first LIVE). */
  badgeMisses: number;
  serverMisses: number;
  sockets: number;
  /** Distinct texts of the dialog's uplink indicator, in order (consecutive repeats folded). */
  uplinkTexts: { at: number; text: string }[];
  statusTexts: { at: number; text: string }[];
  recorders: { at: number; videoKbps: number; audioKbps: number; height: number | null }[];
}

/**
 * The video rate (kbit/s) the dialog's weak-connection notice names ("Weak connection: streaming at
 * 720p · 150 kbit/s …"), else null. The height is what the browser really encodes (read from the WebM
 * header), which Chromium may keep at the camera's size: the rate is what the ladder lowered.
 */
export function weakKbps(text: string): number | null {
  const m = /weak connection: streaming at \d+p · ([\d.]+) ([kM])bit\/s/i.exec(text);
  return m ? Number(m[1]) * (m[2] === 'M' ? 1000 : 1) : null;
}

/** The dialog's "Connection recovered: quality back up to 720p · 2.5 Mbit/s" (a Mbit/s rung again). */
export const recoveredToMbit = (text: string): boolean =>
  /connection recovered: quality back up to \d+p · [\d.]+ Mbit\/s/i.test(text);

export function summarize(w: WalkRecord): WalkSummary {
  const s = w.delay.samples.filter((x) => x.t <= w.stoppedAt);
  const within = (from: number, to: number) => s.filter((x) => x.t >= from && x.t < to);
  const max = (from: number, to: number) => within(from, to).reduce((m, x) => Math.max(m, x.delayMs), 0);
  const changes = (pick: (o: WalkObservation) => string | null) => {
    const out: { at: number; text: string }[] = [];
    for (const o of w.observations) {
      const text = pick(o);
      if (text && out[out.length - 1]?.text !== text) out.push({ at: o.t - w.startedAt, text });
    }
    return out;
  };
  const texts = changes((o) => o.uplink);
  return {
    delayKind: w.delay.kind,
    maxDelayMs: max(w.startedAt, w.stoppedAt),
    minDelayMs: within(w.startedAt, w.stoppedAt).reduce((m, x) => Math.min(m, x.delayMs), Infinity),
    maxDelayShapedMs: max(w.shapedAt, w.recoveredAt),
    maxDelayAfterRecoveryMs: max(w.recoveredAt + 10_000, w.stoppedAt),
    samples: {
      all: within(w.startedAt, w.stoppedAt).length,
      shaped: within(w.shapedAt, w.recoveredAt).length,
      afterRecovery: within(w.recoveredAt + 10_000, w.stoppedAt).length,
    },
    unmappedAcks: w.delay.unmappedAcks,
    broadcastSec: (w.stoppedAt - w.startedAt) / 1000,
    badgeMisses: w.observations.filter((o) => !o.badge).length,
    serverMisses: w.observations.filter((o) => o.serverLive === false).length,
    sockets: w.probe.sockets.length,
    uplinkTexts: texts,
    statusTexts: changes((o) => o.status),
    recorders: w.probe.sockets
      .flatMap((x) => x.recorders)
      .map((r) => ({
        at: r.t - w.startedAt,
        videoKbps: r.videoBps / 1000,
        audioKbps: r.audioBps / 1000,
        height: r.height,
      })),
  };
}

/**
 * Every window of the walk has delay samples, at least one per second on average (acks come every
 * 200 ms while media flows): otherwise a maximum of 0 could pass for a good one. Throws with the
 * counts (and the acks the probe could not tie to a recorder, the likely cause). No sample may be
 * negative: that is an ack tied to a later recording than its own (it once understated every delay
 * after a run of quality steps, down to −4.9 s, and the walk passed with a maximum of 0 after recovery).
 */
export function expectDelayCoverage(sum: WalkSummary, w: WalkRecord): void {
  const need = (from: number, to: number) => Math.floor((to - from) / 1000);
  const want = {
    all: need(w.startedAt, w.stoppedAt),
    shaped: need(w.shapedAt, w.recoveredAt),
    afterRecovery: need(w.recoveredAt + 10_000, w.stoppedAt),
  };
  if (sum.minDelayMs < 0)
    throw new Error(
      `a delay sample of ${sum.minDelayMs} ms: acks were tied to the wrong recordings; unmapped acks ${sum.unmappedAcks}`,
    );
  const short = (Object.keys(want) as (keyof typeof want)[]).filter((k) => sum.samples[k] < want[k]);
  if (short.length)
    throw new Error(
      `delay samples short: have ${JSON.stringify(sum.samples)}, need ${JSON.stringify(want)}; unmapped acks ${sum.unmappedAcks}`,
    );
}
