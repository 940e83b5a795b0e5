import { describe, expect, it } from 'vitest';
import { AdaptationPolicy, LADDER, rungBps, rungLabel } from './adaptation';
import { SendQueue } from './send-queue';
import { UplinkMeter } from './uplink-meter';
import { defined } from '../lib/test-defined';

const rungAt = (r: number) => defined(LADDER[r], `rung ${r}`);

/**
 * A simulated uplink: a recorder producing a chunk every 250 ms at the current rung's rate (keyframe
 * chunks every 2 s three times larger), the client's send queue and meter, a bottleneck link of a given
 * capacity with an unbounded buffer (the kernel + the network), and a server acknowledging every 250 ms.
 * The policy decides every 250 ms; a flush empties the queue (the recorder restarts with a keyframe).
 */
function simulate(
  capacityBps: (t: number) => number,
  seconds: number,
  produceFactor = 0.9,
  server: { stalled?: (t: number) => boolean; reportsLag?: boolean } = {},
  /** false: a client that does not look at how late the acks are. */
  watchAckAge = true,
) {
  const policy = new AdaptationPolicy();
  const meter = new UplinkMeter();
  const queue = new SendQueue<null>();
  meter.segmentStarted(0);
  const link: { end: number; bytesLeft: number }[] = [];
  let delivered = 0;
  let chunkNo = 0;
  let keptBytes = 0;
  let producedBytes = 0;
  const trace: { t: number; rung: number; backlogMs: number; ackedBps: number | null }[] = [];
  const switches: { t: number; rung: number; direction: string; flush: boolean }[] = [];
  const dt = 10;
  let stalledSince: number | null = null;
  for (let t = 0; t <= seconds * 1000; t += dt) {
    if (t % 250 === 0) {
      const rung = policy.current;
      const bytes = Math.round(
        ((rungBps(rung) * produceFactor) / 8) * 0.25 * (chunkNo % 8 === 0 ? 3 : 0.715),
      );
      chunkNo++;
      producedBytes += bytes;
      queue.push({ data: null, bytes, capturedAt: t, segment: 1 });
    }
    for (;;) {
      const c = queue.take({
        unackedBytes: meter.unackedBytes,
        oldestAgeMs: meter.inFlightAgeMs(t),
        ackedBps: meter.ackedBps(t),
      });
      if (!c) break;
      meter.sent(c.capturedAt, c.bytes, t);
      keptBytes += c.bytes;
      link.push({ end: 0, bytesLeft: c.bytes });
    }
    let budget = (capacityBps(t) / 8) * (dt / 1000);
    for (let head = link[0]; budget > 0 && head; head = link[0]) {
      const take = Math.min(budget, head.bytesLeft);
      head.bytesLeft -= take;
      budget -= take;
      delivered += take;
      if (head.bytesLeft <= 0) link.shift();
    }
    // A busy server (event loop blocked) reads nothing and acknowledges nothing until it is free
    // again; its next ack reports how late it is.
    const stalled = server.stalled?.(t) ?? false;
    if (stalled) stalledSince ??= t;
    if (t % 250 === 0 && t > 0 && !stalled) {
      const lagMs = stalledSince === null || !server.reportsLag ? 0 : t - stalledSince;
      stalledSince = null;
      meter.ack(t, { bytes: Math.floor(delivered), mediaMs: 0, segment: 1, lagMs });
    }
    if (t % 250 === 0 && t > 0) {
      const backlogMs = meter.backlogMs(t, queue.oldestCapture());
      const d = policy.decide({
        now: t,
        backlogMs,
        queuedAgeMs: queue.oldestCapture() === null ? 0 : t - queue.oldestCapture()!,
        ackedBps: meter.ackedBps(t),
        recentBps: meter.ackedBps(t, 1000),
        serverLagMs: meter.serverLagMs(t),
        ackAgeMs: watchAckAge ? meter.ackAgeMs(t) : 0,
      });
      if (d.kind === 'switch') switches.push({ t, rung: d.rung, direction: d.direction, flush: d.flush });
      if (d.kind === 'flush' || (d.kind === 'switch' && d.flush)) queue.clear();
      trace.push({ t, rung: policy.rung, backlogMs, ackedBps: meter.ackedBps(t) });
    }
  }
  return { trace, switches, keptFraction: keptBytes / producedBytes, policy };
}

const maxBacklog = (trace: { t: number; backlogMs: number }[], from: number, to: number) =>
  Math.max(0, ...trace.filter((x) => x.t >= from && x.t < to).map((x) => x.backlogMs));

describe('rungLabel', () => {
  it('names the height and the video rate', () => {
    expect(LADDER.map(rungLabel)).toEqual([
      '720p · 2.5 Mbit/s',
      '720p · 1.2 Mbit/s',
      '480p · 600 kbit/s',
      '360p · 300 kbit/s',
      '240p · 150 kbit/s',
    ]);
  });
});

describe('AdaptationPolicy on a simulated uplink', () => {
  // 10 Mbit/s, 400 kbit/s from 15 s to 40 s, 10 Mbit/s again (the browser tests' shape).
  const shaped = (t: number) => (t >= 15_000 && t < 40_000 ? 400_000 : 10_000_000);

  it('steps down within a few seconds and keeps the backlog under 2 s', () => {
    const { trace, switches } = simulate(shaped, 60);
    const firstDown = switches.find((s) => s.direction === 'down' && s.t >= 15_000)!;
    expect(firstDown.t - 15_000).toBeLessThan(3000);
    // settles on a rung that fits 400 kbit/s
    const shapedRungs = trace.filter((x) => x.t >= 20_000 && x.t < 40_000).map((x) => x.rung);
    const fitting = shapedRungs.filter((r) => rungBps(rungAt(r)) <= 400_000).length / shapedRungs.length;
    expect(fitting).toBeGreaterThan(0.7);
    expect(maxBacklog(trace, 0, 60_000)).toBeLessThan(2000);
    expect(maxBacklog(trace, 20_000, 40_000)).toBeLessThan(1500);
  });

  it('steps back up to the top after the uplink recovers, without stepping down again', () => {
    const { trace, switches } = simulate(shaped, 60);
    const after = switches.filter((s) => s.t >= 40_000);
    expect(after.every((s) => s.direction === 'up')).toBe(true);
    expect(trace.find((x) => x.t >= 40_000 && x.rung === 0)!.t - 40_000).toBeLessThan(20_000);
    expect(maxBacklog(trace, 41_000, 60_000)).toBeLessThan(500);
  });

  it('climbs back at the base pace after a recovery, whatever probes failed while the link was shaped', () => {
    // 450 kbit/s: the 480p rung's probes fail while shaped (its hold doubles, 16 s); once the link is
    // back, the first probe that holds (360p) shows it, and those failures stop slowing the climb
    // (25.75 s to the top before, 13.75 s after).
    const { trace, switches } = simulate((t) => (t >= 15_000 && t < 40_000 ? 450_000 : 10_000_000), 70);
    expect(switches.some((s) => s.t < 40_000 && s.direction === 'down' && s.rung === 3)).toBe(true);
    expect(trace.find((x) => x.t >= 40_000 && x.rung === 0)!.t - 40_000).toBeLessThan(18_000);
    expect(switches.filter((s) => s.t >= 40_000).every((s) => s.direction === 'up')).toBe(true);
  });

  it('does not oscillate on a link between two rungs: failed probes back off', () => {
    // 1 Mbit/s: 480p fits (664 kbit/s), 720p at 1.2 Mbit/s does not.
    const { trace, switches } = simulate(() => 1_000_000, 180);
    const ups = switches.filter((s) => s.direction === 'up' && s.rung === 1).map((s) => s.t);
    // probes of the rung that does not fit: ever rarer (the hold doubles up to 40 s)
    expect(ups.length).toBeLessThanOrEqual(6);
    for (let i = 2; i < Math.min(ups.length, 4); i++)
      expect(ups[i]! - ups[i - 1]!).toBeGreaterThan(ups[i - 1]! - ups[i - 2]!);
    expect(ups.filter((t) => t >= 80_000).length).toBeLessThanOrEqual(3);
    // and each failed probe costs one step: never down to the rung below the one that fits
    expect(trace.filter((x) => x.t >= 10_000 && x.rung === 3)).toHaveLength(0);
    expect(maxBacklog(trace, 10_000, 180_000)).toBeLessThan(2000);
    // most of the time on the rung that fits
    const onFit =
      trace.filter((x) => x.t >= 10_000 && x.rung === 2).length / trace.filter((x) => x.t >= 10_000).length;
    expect(onFit).toBeGreaterThan(0.75);
  });

  it('takes a probe that does not fit back at once, one step, before media has to be dropped', () => {
    const { switches } = simulate(() => 1_000_000, 180, 0.9);
    const probes = switches.filter((s) => s.direction === 'up' && s.rung === 1);
    expect(probes.length).toBeGreaterThan(0);
    for (const p of probes) {
      const back = switches.find((s) => s.t > p.t)!;
      expect(back).toMatchObject({ direction: 'down', rung: 2, flush: false });
      expect(back.t - p.t).toBeLessThan(2500);
    }
  });

  it('drops stale media in whole groups when even the bottom rung does not fit, and keeps the backlog bounded', () => {
    const { trace, keptFraction } = simulate((t) => (t < 5000 ? 10_000_000 : 150_000), 40);
    expect(trace.at(-1)?.rung).toBe(LADDER.length - 1);
    expect(maxBacklog(trace, 15_000, 40_000)).toBeLessThan(2500);
    expect(keptFraction).toBeLessThan(0.9);
  });

  it('does not read a busy server (late acks, lag reported) as a slow uplink', () => {
    // A fast uplink; from 10 s on the server's event loop is blocked for 900 ms every 3 s.
    const busy = { stalled: (t: number) => t >= 10_000 && t % 3000 < 900, reportsLag: true };
    const { trace, switches } = simulate(() => 10_000_000, 60, 0.9, busy);
    // at most the first stall (before any lag was reported) costs a step, and it is recovered
    expect(switches.filter((s) => s.direction === 'down').length).toBeLessThanOrEqual(1);
    const top = trace.filter((x) => x.t >= 10_000 && x.rung === 0).length;
    expect(top / trace.filter((x) => x.t >= 10_000).length).toBeGreaterThan(0.75);
    // without lag reports, overdue acks alone keep it from stepping down
    const noLag = simulate(() => 10_000_000, 60, 0.9, { ...busy, reportsLag: false });
    expect(noLag.switches.filter((s) => s.direction === 'down').length).toBeLessThanOrEqual(1);
    // a client that looks at neither: every stall looks like congestion
    const blind = simulate(() => 10_000_000, 60, 0.9, { ...busy, reportsLag: false }, false);
    expect(blind.switches.filter((s) => s.direction === 'down').length).toBeGreaterThanOrEqual(2);
    const blindTop = blind.trace.filter((x) => x.t >= 10_000 && x.rung === 0).length;
    expect(blindTop / blind.trace.filter((x) => x.t >= 10_000).length).toBeLessThan(0.5);
  });

  it('on a shaped link, a busy server does not make it probe up early', () => {
    // The browser tests' shape, and a server whose event loop blocks for 900 ms every 3 s until 45 s: the
    // lag it reports may excuse a backlog from stepping down, never make a shaped link look like headroom.
    const busy = { stalled: (t: number) => t >= 10_000 && t < 45_000 && t % 3000 < 900, reportsLag: true };
    const { trace, switches } = simulate(shaped, 80, 0.9, busy);
    const fits = (r: number) => rungBps(rungAt(r)) <= 400_000;
    // stepped down to a rung that fits, and no probe while shaped to a rung that does not
    expect(switches.some((s) => s.direction === 'down' && s.t >= 15_000 && s.t < 20_000)).toBe(true);
    const earlyUps = switches.filter((s) => s.direction === 'up' && s.t >= 20_000 && s.t < 40_000);
    expect(earlyUps.filter((s) => !fits(s.rung))).toEqual([]);
    expect(maxBacklog(trace, 20_000, 40_000)).toBeLessThan(2000);
    // and once the link and the server are both free again it climbs back to the top
    expect(trace.some((x) => x.t >= 45_000 && x.rung === 0)).toBe(true);
  });

  it('steps down as soon after a busy moment of the server as without it', () => {
    // The server blocks for 700 ms every 3 s until 14.5 s; the uplink is shaped from 15 s. The lag it
    // reported just before must not make the congestion wait.
    const busy = { stalled: (t: number) => t >= 5_000 && t < 14_500 && t % 3000 < 700, reportsLag: true };
    const calm = simulate(shaped, 25);
    const { trace, switches } = simulate(shaped, 25, 0.9, busy);
    const firstDown = (sw: typeof switches) => sw.find((x) => x.direction === 'down' && x.t >= 15_000)!.t;
    expect(firstDown(switches)).toBeLessThanOrEqual(firstDown(calm.switches) + 250);
    expect(maxBacklog(trace, 15_000, 25_000)).toBeLessThanOrEqual(
      maxBacklog(calm.trace, 15_000, 25_000) + 250,
    );
    expect(switches.filter((x) => x.direction === 'down' && x.t < 15_000)).toEqual([]);
  });

  it('holds while no acknowledgement has arrived (a server without acks)', () => {
    const p = new AdaptationPolicy();
    expect(p.decide({ now: 5000, backlogMs: 9000, queuedAgeMs: 9000, ackedBps: null })).toEqual({
      kind: 'hold',
    });
  });
});
