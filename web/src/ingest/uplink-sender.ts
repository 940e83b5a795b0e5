/**
 * The adaptive half of the ingest client (DOM-free): the client's own send queue, the ack meter and
 * the adaptation policy, each recording's cut points, and what the creator is told about the uplink.
 * IngestClient feeds it chunks, acks and time, sends what `next()` gives, and applies the decisions
 * `tick()` returns (a new recorder at another rung, stale media dropped).
 *
 * Dropping stale media: a recording whose header never went out is dropped whole; the one being sent
 * is cut at the next element boundary after what was sent (WebmBoundaries), so the server gets whole
 * blocks and then the next recording's header and keyframe.
 */
import { AdaptationPolicy, rungLabel } from './adaptation';
import type { Decision, Rung } from './adaptation';
import { SendQueue } from './send-queue';
import type { QueuedChunk } from './send-queue';
import { UplinkMeter } from './uplink-meter';
import type { Ack } from './uplink-meter';
import { WebmBoundaries } from './webm-boundaries';

export interface UplinkState {
  /** e.g. "480p · 600 kbit/s"; null before streaming. */
  quality: string | null;
  /** now − capture time of the newest media the server acknowledged; null before the first ack. */
  delayMs: number | null;
  /** What the server acknowledged per second over the last 2 s. */
  throughputKbps: number | null;
  /** The uplink could not carry the stream: quality lowered (or media dropped) and not recovered yet. */
  weak: boolean;
}

export const initialUplinkState: UplinkState = {
  quality: null,
  delayMs: null,
  throughputKbps: null,
  weak: false,
};

/** A backlog this old counts as weak whatever the rung. */
const WEAK_BACKLOG_MS = 1500;

interface Recording {
  startedAt: number;
  enqueued: number;
  sent: number;
  cuts: WebmBoundaries;
  /** Data from here on is dropped. */
  cutAt: number | null;
  /** Dropping was asked while the element at this offset was incomplete: cut at its end. */
  trimFrom: number | null;
  /** The rung it records at (for its label), and whether its WebM header's size was reported. */
  rung?: Rung;
  sized: boolean;
}

export type Chunk = QueuedChunk<Uint8Array>;

export class UplinkSender {
  readonly meter = new UplinkMeter();
  private readonly queue = new SendQueue<Uint8Array>();
  private readonly recordings = new Map<number, Recording>();
  /** Height asked of a recording → height its WebM header said was encoded. */
  private readonly encodedHeights = new Map<number, number>();
  private announced = 0;
  /**
   * The rung the stream had when the uplink first could not carry it (null: not lowered): the
   * connection counts as weak until the quality is back there, not at the first step up.
   */
  private loweredFrom: number | null = null;
  /** When the current socket got `ready` (null: none yet): the uplink is judged from then on. */
  private readyAt: number | null = null;
  /** Bytes of media dropped as stale (never sent). */
  droppedBytes = 0;

  constructor(readonly policy: AdaptationPolicy = new AdaptationPolicy()) {}

  get rung(): Rung {
    return this.policy.current;
  }

  get queued(): number {
    return this.queue.length;
  }

  /**
   * A new socket: recordings whose header went out on the old one cannot continue on it and are
   * dropped; a recording nothing of which was sent yet (started when the old socket closed) is kept,
   * so what was recorded while reconnecting goes out on the new socket.
   */
  newSocket(): void {
    for (const [seg, r] of this.recordings) {
      if (r.sent > 0 || r.cutAt !== null) {
        this.recordings.delete(seg);
        this.droppedBytes += this.queue.dropSegment(seg);
      }
    }
    this.announced = 0;
    this.readyAt = null;
    this.meter.newSocket();
  }

  /** The socket got `ready`. */
  socketReady(now: number): void {
    this.readyAt = now;
  }

  /** Drops every recording and everything queued (recording stops until the next `ready`). */
  discardAll(): void {
    this.droppedBytes += this.queue.clear();
    this.recordings.clear();
  }

  /** When the oldest recording still waiting for a socket started (null: none). */
  get oldestRecordingAt(): number | null {
    let at: number | null = null;
    for (const r of this.recordings.values()) at = Math.min(at ?? r.startedAt, r.startedAt);
    return at;
  }

  /** Recorder `segment` (client-wide 1, 2, …) started at `at` at `rung`. */
  recordingStarted(segment: number, at: number, rung?: Rung): void {
    const cuts = new WebmBoundaries();
    const r = { startedAt: at, enqueued: 0, sent: 0, cuts, cutAt: null, trimFrom: null, rung, sized: false };
    this.recordings.set(segment, r);
  }

  /**
   * Once, when the latest recording's WebM header was read: its label at the height really encoded
   * ("480p · 600 kbit/s"), which may differ from what the camera track was asked for; else null.
   */
  encodedQuality(segment: number): string | null {
    const r = this.recordings.get(segment);
    const size = r?.cuts.videoSize;
    if (!r?.rung || !size || r.sized || Math.max(...this.recordings.keys()) !== segment) return null;
    r.sized = true;
    this.encodedHeights.set(r.rung.height, size.height);
    return rungLabel({ ...r.rung, height: size.height });
  }

  /**
   * The label of a recording just started at `rung`, at the height an earlier recording asked for the
   * same height really encoded (the browser keeps doing what it did); null before any such header.
   * The label then does not flip to the camera track's height and back when the header arrives.
   */
  expectedQuality(rung: Rung): string | null {
    const height = this.encodedHeights.get(rung.height);
    return height === undefined ? null : rungLabel({ ...rung, height });
  }

  enqueue(segment: number, data: Uint8Array, capturedAt: number): void {
    const r = this.recordings.get(segment);
    if (!r || (r.cutAt !== null && r.enqueued >= r.cutAt)) return;
    const offset = r.enqueued;
    r.cuts.push(data);
    r.enqueued += data.length;
    let keep = data;
    if (r.trimFrom !== null) {
      const cut = r.cuts.broken ? r.trimFrom : r.cuts.cutAtOrAfter(r.trimFrom);
      if (cut !== null) {
        r.cutAt = cut;
        r.trimFrom = null;
      }
    }
    if (r.cutAt !== null) keep = data.subarray(0, Math.max(0, r.cutAt - offset));
    this.droppedBytes += data.length - keep.length;
    if (keep.length) this.queue.push({ data: keep, bytes: keep.length, capturedAt, segment, offset });
  }

  ack(now: number, a: Ack): void {
    this.meter.ack(now, a);
  }

  /**
   * The next chunk to send now (null: nothing, or the window is full); `all` ignores the window (Stop
   * Streaming sends what is left). Call `sent` once it went out.
   */
  next(now: number, all = false): Chunk | null {
    const head = this.queue.peek();
    if (!head) return null;
    for (const [seg, r] of this.recordings) if (seg < head.segment && r.trimFrom !== null) return null;
    return this.queue.take({
      unackedBytes: all ? 0 : this.meter.unackedBytes,
      oldestAgeMs: this.meter.inFlightAgeMs(now),
      ackedBps: this.meter.ackedBps(now),
    });
  }

  sent(c: Chunk, now: number): void {
    const r = this.recordings.get(c.segment);
    if (c.segment > this.announced) {
      this.announced = c.segment;
      this.meter.segmentStarted(r?.startedAt ?? c.capturedAt);
    }
    if (r) r.sent = (c.offset ?? r.sent) + c.bytes;
    this.meter.sent(c.capturedAt, c.bytes, now);
  }

  /** The policy's decision for now; stale media is already dropped when it asks for that. */
  tick(now: number): Decision {
    const oldestQueued = this.queue.oldestCapture();
    // Media recorded while reconnecting is older than the socket: judge the uplink from `ready` on.
    const since = this.readyAt === null ? Infinity : now - this.readyAt;
    const before = this.policy.rung;
    const d = this.policy.decide({
      now,
      backlogMs: Math.min(since, this.meter.backlogMs(now, oldestQueued)),
      queuedAgeMs: Math.min(since, oldestQueued === null ? 0 : now - oldestQueued),
      ackedBps: this.meter.ackedBps(now),
      recentBps: this.meter.ackedBps(now, 1000),
      serverLagMs: this.meter.serverLagMs(now),
      ackAgeMs: this.meter.ackAgeMs(now),
    });
    if (d.kind === 'flush' || (d.kind === 'switch' && d.flush)) this.dropStale();
    if (d.kind === 'flush' || (d.kind === 'switch' && d.direction === 'down')) this.loweredFrom ??= before;
    else if (this.loweredFrom !== null && this.policy.rung <= this.loweredFrom) this.loweredFrom = null;
    return d;
  }

  /** Every recording so far ends: unsent ones are dropped, the one being sent is cut at a boundary. */
  private dropStale(): void {
    for (const r of this.recordings.values()) {
      if (r.cutAt !== null) continue;
      if (r.sent === 0) r.cutAt = 0;
      else {
        const cut = r.cuts.broken ? r.sent : r.cuts.cutAtOrAfter(r.sent);
        if (cut === null) r.trimFrom = r.sent;
        else r.cutAt = cut;
      }
    }
    this.droppedBytes += this.queue.rewrite((c) => {
      const r = this.recordings.get(c.segment);
      if (!r || r.cutAt === null) return c; // still trimming: its data completes the element
      const offset = c.offset ?? 0;
      if (offset >= r.cutAt) return null;
      const end = Math.min(c.bytes, r.cutAt - offset);
      return end === c.bytes ? c : { ...c, data: c.data.subarray(0, end), bytes: end };
    });
  }

  /** Numbers behind the last decision (for the console). */
  diagnostics(now: number): Record<string, number | null> {
    const oldestQueued = this.queue.oldestCapture();
    return {
      backlogMs: this.meter.backlogMs(now, oldestQueued),
      queuedMs: oldestQueued === null ? 0 : now - oldestQueued,
      unacked: this.meter.unackedBytes,
      ackedKbps: Math.round((this.meter.ackedBps(now) ?? 0) / 1000),
      delayMs: this.meter.delayMs(now),
      dropped: this.droppedBytes,
    };
  }

  state(now: number): UplinkState {
    const bps = this.meter.ackedBps(now);
    const backlog = this.meter.backlogMs(now, this.queue.oldestCapture());
    return {
      quality: rungLabel(this.rung),
      delayMs: this.meter.delayMs(now),
      throughputKbps: bps === null ? null : Math.round(bps / 1000),
      weak: this.loweredFrom !== null || (this.meter.hasAcks && backlog > WEAK_BACKLOG_MS),
    };
  }
}
