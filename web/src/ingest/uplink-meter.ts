/**
 * What the server's acknowledgements say about the uplink (pure; injected times).
 *
 * Each `status.ack` carries `bytes` (binary bytes the server has read on THIS socket), `mediaMs` (the
 * newest WebM media time it parsed in the current WebM segment) and `segment` (1 for the socket's first
 * EBML header). From them and the client's own record of when each chunk was captured:
 * - backlog: the age of the oldest media the server has not acknowledged yet (sent or still queued),
 *   which `bufferedAmount` cannot show (the kernel's and the network's buffers hide seconds of media);
 * - throughput: acknowledged bits per second over the last `windowMs`, the uplink's real rate when it
 *   is the bottleneck;
 * - delay: now − capture time of the newest acknowledged media, where a segment's media time m was
 *   captured at (that recorder's start) + m.
 */

interface Sent {
  capturedAt: number;
  sentAt: number;
  end: number;
}

export interface Ack {
  bytes: number;
  mediaMs: number;
  segment: number;
  /** The server's own lateness (event-loop lag) when it sent this ack, ms. */
  lagMs?: number;
}

/**
 * How long a server's reported lag counts. A stall inflates the backlog until the server has caught
 * up, a moment after the ack that reports it; remembered much longer, one busy moment would hide a
 * congested uplink for that long (a loaded machine stepped down ~1 s late with 10 s).
 */
const LAG_MEMORY_MS = 1500;

export class UplinkMeter {
  private inFlight: Sent[] = [];
  private sentBytes = 0;
  private ackedBytes = 0;
  private history: { at: number; delta: number }[] = [];
  private firstAckAt: number | null = null;
  private lastAckAt: number | null = null;
  private segmentStarts: number[] = [];
  private newestCapture: number | null = null;
  private lags: { at: number; lagMs: number }[] = [];

  constructor(private readonly windowMs = 2000) {}

  /** A new socket: its byte count starts at 0; what was in flight on the old one is gone. */
  newSocket(): void {
    this.inFlight = [];
    this.sentBytes = 0;
    this.ackedBytes = 0;
    this.segmentStarts = [];
  }

  /** A recorder started on this socket (its first chunk will carry a new WebM header). */
  segmentStarted(at: number): void {
    this.segmentStarts.push(at);
  }

  sent(capturedAt: number, bytes: number, sentAt = capturedAt): void {
    this.sentBytes += bytes;
    this.inFlight.push({ capturedAt, sentAt, end: this.sentBytes });
  }

  ack(now: number, a: Ack): void {
    if (!(a.bytes >= this.ackedBytes)) return; // stale or malformed
    const delta = Math.min(a.bytes, this.sentBytes) - this.ackedBytes;
    this.ackedBytes = Math.min(a.bytes, this.sentBytes);
    this.firstAckAt ??= now;
    this.lastAckAt = now;
    if (a.lagMs && a.lagMs > 0) this.lags.push({ at: now, lagMs: a.lagMs });
    while ((this.lags[0]?.at ?? now) < now - LAG_MEMORY_MS) this.lags.shift();
    this.history.push({ at: now, delta });
    while ((this.history[0]?.at ?? now) < now - this.windowMs) this.history.shift();
    while ((this.inFlight[0]?.end ?? Number.POSITIVE_INFINITY) <= this.ackedBytes) this.inFlight.shift();
    const start = this.segmentStarts[a.segment - 1];
    if (start !== undefined && Number.isFinite(a.mediaMs) && a.mediaMs >= 0) {
      this.newestCapture = Math.max(this.newestCapture ?? -Infinity, start + a.mediaMs);
    }
  }

  get hasAcks(): boolean {
    return this.firstAckAt !== null;
  }

  /** Bytes sent on this socket that the server has not acknowledged. */
  get unackedBytes(): number {
    return this.sentBytes - this.ackedBytes;
  }

  /** How long ago the oldest chunk not yet acknowledged was SENT (0 when none). */
  inFlightAgeMs(now: number): number {
    const c = this.inFlight[0];
    return c ? Math.max(0, now - c.sentAt) : 0;
  }

  /** Age of the oldest unacknowledged media; `oldestQueued` is the capture time of the queue's head. */
  backlogMs(now: number, oldestQueued: number | null): number {
    const oldest = this.inFlight[0]?.capturedAt ?? oldestQueued;
    return oldest === null || oldest === undefined ? 0 : Math.max(0, now - oldest);
  }

  /** Acknowledged bits per second over the last `windowMs` (default: the meter's); null before any ack. */
  ackedBps(now: number, windowMs = this.windowMs): number | null {
    if (this.firstAckAt === null) return null;
    const from = now - windowMs;
    let bytes = 0;
    for (const h of this.history) if (h.at > from) bytes += h.delta;
    const span = Math.max(250, Math.min(windowMs, now - this.firstAckAt));
    return Math.round((bytes * 8 * 1000) / span);
  }

  /** How long since the last ack (0 before any). */
  ackAgeMs(now: number): number {
    return this.lastAckAt === null ? 0 : Math.max(0, now - this.lastAckAt);
  }

  /** The largest lag the server reported lately (ms): that much of a backlog is the server's, not the uplink's. */
  serverLagMs(now: number): number {
    return this.lags.reduce((m, l) => (l.at >= now - LAG_MEMORY_MS ? Math.max(m, l.lagMs) : m), 0);
  }

  /** now − capture time of the newest media the server acknowledged; null before that. */
  delayMs(now: number): number | null {
    return this.newestCapture === null ? null : Math.max(0, now - this.newestCapture);
  }
}
