/**
 * What the creator's page did on the wire, recorded in the page itself (an init script wrapping the
 * browser's WebSocket and MediaRecorder, so it works the same in Chromium and Firefox and knows
 * nothing of the app's code), and the MEDIA DELAY computed from it.
 *
 * Media delay, precisely: at a moment t, delay(t) = t − capture time of the newest media the server has
 * acknowledged. The capture time of media at WebM time m of a recording is (the wall-clock moment that
 * MediaRecorder's start() was called) + m; the server's `status.ack` tells, for its socket, which WebM
 * initialization segment (`segment`, 1-based: the n-th EBML header the socket carried) and which media
 * time (`mediaMs`) it has parsed. The probe sees each binary frame that starts with an EBML header and
 * ties it to the recorder whose first chunks it is, by size (a recorder whose data was dropped
 * before anything was sent never reaches the server and is not counted). Between two acks the delay grows; so every ack gives two samples: the
 * delay just before it arrived (from the previous newest media) and just after.
 *
 * A server without acks (before issue 13) only reports `pipeline.bytesIn` about once a second: there the
 * newest media the server holds is the last chunk whose last byte is ≤ bytesIn, and its capture time is
 * taken as the moment the page sent it (that client sent each chunk as MediaRecorder delivered it). Only
 * the "after" samples are used there, so the delay is a lower bound.
 */

export interface ProbeRecorder {
  t: number;
  videoBps: number;
  audioBps: number;
  height: number | null;
  startedAt: number | null;
  firstSize: number | null;
  /** Sizes of its first chunks (Chromium's first is often 1 byte: the header completes in the next). */
  firstSizes: number[];
  sent: boolean;
}

export interface ProbeSocket {
  createdAt: number;
  recorders: ProbeRecorder[];
  /** For each EBML header sent on this socket, the index of its recorder. */
  segments: number[];
  acks: { t: number; bytes: number; mediaMs: number; segment: number }[];
  bytesIn: { t: number; bytes: number }[];
  sent: { t: number; end: number }[];
  closedAt: number | null;
  closeCode: number | null;
}

export interface ProbeLog {
  sockets: ProbeSocket[];
}

/** Installed before the app's scripts (Playwright `addInitScript`, Puppeteer `evaluateOnNewDocument`). */
export function installUplinkProbe(): void {
  type W = typeof window & { __uplinkProbe?: ProbeLog };
  const w = window as W;
  if (w.__uplinkProbe) return;
  const log: ProbeLog = { sockets: [] };
  w.__uplinkProbe = log;
  const NativeWS = window.WebSocket;
  const NativeRec = window.MediaRecorder;
  const current = () => log.sockets[log.sockets.length - 1];
  const carry = new Map<ProbeSocket, number[]>();
  class ProbedWebSocket extends NativeWS {
    private probe: ProbeSocket | null = null;
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      if (!String(url).includes('/stream/live/')) return;
      const p: ProbeSocket = {
        createdAt: Date.now(),
        recorders: [],
        segments: [],
        acks: [],
        bytesIn: [],
        sent: [],
        closedAt: null,
        closeCode: null,
      };
      this.probe = p;
      log.sockets.push(p);
      this.addEventListener('message', (ev: MessageEvent) => {
        if (typeof ev.data !== 'string') return;
        try {
          const m = JSON.parse(ev.data) as {
            type?: string;
            ack?: { bytes: number; mediaMs: number; segment: number };
            pipeline?: { bytesIn?: number };
          };
          if (m.type !== 'status') return;
          const t = Date.now();
          if (m.ack) p.acks.push({ t, ...m.ack });
          if (typeof m.pipeline?.bytesIn === 'number') p.bytesIn.push({ t, bytes: m.pipeline.bytesIn });
        } catch {
          /* not JSON */
        }
      });
      this.addEventListener('close', (ev: CloseEvent) => {
        p.closedAt = Date.now();
        p.closeCode = ev.code;
      });
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      const p = this.probe;
      if (p && typeof data !== 'string') {
        const n = data instanceof Blob ? data.size : data.byteLength;
        if (!(data instanceof Blob)) {
          const bytes = ArrayBuffer.isView(data)
            ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
            : new Uint8Array(data);
          // A new recording's EBML header (chunks may split it: look across frames).
          const tail = carry.get(p) ?? [];
          const look = [...tail, ...bytes.subarray(0, 3)];
          const found: boolean[] = [];
          for (let i = 0; i + 3 < look.length; i++)
            if (look[i] === 0x1a && look[i + 1] === 0x45 && look[i + 2] === 0xdf && look[i + 3] === 0xa3)
              found.push(true);
          for (let i = 0; i + 3 < bytes.length; i++)
            if (bytes[i] === 0x1a && bytes[i + 1] === 0x45 && bytes[i + 2] === 0xdf && bytes[i + 3] === 0xa3)
              found.push(true);
          carry.set(p, [...tail, ...bytes].slice(-3));
          for (let k = 0; k < found.length; k++) {
            // Recordings go out in order, but a backlog may hold several whose headers were not sent
            // yet, and one may be dropped whole before its header went out. The frame that completes
            // a header is one of its recording's first chunks, sent whole: the oldest open recorder
            // with a first chunk of this size (else the newest open one). Older open ones were
            // dropped; newer ones stay open.
            const open = p.recorders
              .map((r, i) => ({ r, i }))
              .filter((x) => !x.r.sent && x.r.firstSize !== null);
            const hit = open.find((x) => x.r.firstSizes.includes(n)) ?? open[open.length - 1];
            if (!hit) continue;
            for (const x of open) if (x.i <= hit.i) x.r.sent = true;
            p.segments.push(hit.i);
          }
        }
        const end = (p.sent.at(-1)?.end ?? 0) + n;
        p.sent.push({ t: Date.now(), end });
      }
      super.send(data);
    }
  }
  window.WebSocket = ProbedWebSocket;
  if (!NativeRec) return;
  class ProbedRecorder extends NativeRec {
    constructor(stream: MediaStream, options?: MediaRecorderOptions) {
      super(stream, options);
      const settings = stream.getVideoTracks()[0]?.getSettings();
      const r: ProbeRecorder = {
        t: Date.now(),
        videoBps: options?.videoBitsPerSecond ?? 0,
        audioBps: options?.audioBitsPerSecond ?? 0,
        height: settings?.height ?? null,
        startedAt: null,
        firstSize: null,
        firstSizes: [],
        sent: false,
      };
      this.rec = r;
      current()?.recorders.push(r);
      this.addEventListener('dataavailable', (ev: BlobEvent) => {
        if (ev.data.size <= 0) return;
        if (r.firstSize === null) r.firstSize = ev.data.size;
        if (r.firstSizes.length < 3) r.firstSizes.push(ev.data.size);
      });
    }
    private rec: ProbeRecorder | null = null;
    override start(timeslice?: number): void {
      if (this.rec) this.rec.startedAt = Date.now();
      super.start(timeslice);
    }
  }
  window.MediaRecorder = ProbedRecorder;
}

export interface DelaySample {
  t: number;
  delayMs: number;
}

/** The delay samples (absolute times, page clock) as defined above, in time order. */
export function mediaDelay(log: ProbeLog): {
  kind: 'ack' | 'bytesIn';
  samples: DelaySample[];
  /** Acks that name a segment the probe cannot tie to a recorder (they give no sample). */
  unmappedAcks: number;
} {
  const withAcks = log.sockets.some((s) => s.acks.length > 0);
  const events: { t: number; cap: number }[] = [];
  let unmappedAcks = 0;
  for (const s of log.sockets) {
    if (withAcks) {
      for (const a of s.acks) {
        const rec = s.recorders[s.segments[a.segment - 1] ?? -1];
        const start = rec?.startedAt ?? undefined;
        if (start === undefined) unmappedAcks++;
        else if (a.mediaMs >= 0) events.push({ t: a.t, cap: start + a.mediaMs });
      }
    } else {
      for (const b of s.bytesIn) {
        const last = s.sent.filter((c) => c.end <= b.bytes).pop();
        if (last) events.push({ t: b.t, cap: last.t });
      }
    }
  }
  events.sort((a, b) => a.t - b.t);
  const samples: DelaySample[] = [];
  let newest = -Infinity;
  for (const e of events) {
    if (withAcks && newest > -Infinity) samples.push({ t: e.t, delayMs: e.t - newest });
    newest = Math.max(newest, e.cap);
    samples.push({ t: e.t, delayMs: e.t - newest });
  }
  return { kind: withAcks ? 'ack' : 'bytesIn', samples, unmappedAcks };
}

/** Largest delay among the samples in [from, to). */
export function maxDelay(samples: DelaySample[], from = -Infinity, to = Infinity): number {
  let max = 0;
  for (const s of samples) if (s.t >= from && s.t < to) max = Math.max(max, s.delayMs);
  return max;
}

/** Every recorder the page started (quality steps), across sockets, in time order. */
export function recorderSteps(log: ProbeLog): ProbeRecorder[] {
  return log.sockets.flatMap((s) => s.recorders).sort((a, b) => a.t - b.t);
}
