import type { Decision } from './adaptation';
import { parseServerMessage } from './messages';
import { READY_TIMEOUT_MS, STABLE_AFTER_MS, planAfterClose } from './policy';
import { RecorderSlot } from './recorder-slot';
import { type IngestDeps, type IngestState, type SocketLike, initialIngestState } from './types';
import { Timers } from './timers';
import { UplinkSender } from './uplink-sender';

/**
 * Browser → server ingest over one WebSocket at a time (the protocol in src/contract/ingest-protocol.ts):
 * open → hello {token, mimeType} → wait for `ready` → chunks as binary frames, each connection starting
 * with a fresh recorder (the server needs a new WebM header; RecorderSlot owns the recorder). Drops
 * reconnect at once, then with backoff; refusals stop. A dropped socket's replacement recorder starts the moment the drop is seen, so what
 * is recorded while reconnecting waits in our queue and goes out on the new socket (at most
 * CARRY_MAX_MS of it). Framework-free; the DOM types it needs are injected so tests drive it with fakes.
 *
 * Uplink adaptation (issue 13): chunks wait in our own queue (UplinkSender) and go out only as fast as
 * the server's acks say the uplink carries them; every TICK_MS the policy may restart the recorder at
 * another rung of the ladder (a new WebM header on the same socket: the server continues the broadcast)
 * or drop the queued, stale media and restart with a keyframe.
 */

const OPEN = 1;
const STOP_GRACE_MS = 3000;
const TICK_MS = 250;
/** Media recorded while reconnecting is kept this long; past it recording pauses until `ready`. */
export const CARRY_MAX_MS = 5000;

export class IngestClient {
  private state: IngestState = initialIngestState;
  private listeners = new Set<(s: IngestState) => void>();
  private ws: SocketLike | null = null;
  private readonly sender = new UplinkSender();
  private readonly recorder: RecorderSlot;
  /** The current socket got `ready`. */
  private ready = false;
  /** Chunks become bytes in order (Blob.arrayBuffer is async). */
  private intake: Promise<void> = Promise.resolve();
  /** The label of the rung being recorded, with the height the camera really gives. */
  private quality: string | null = null;
  private draining: (() => void) | null = null;
  private userStopped = false;
  /** Set when we close the socket ourselves and want a reconnect (no `ready` in time). */
  private retryOnClose = false;
  private readyAt = 0;
  private readonly timers = new Timers();
  private readonly now: () => number;

  constructor(private readonly deps: IngestDeps) {
    this.now = deps.now ?? Date.now;
    this.recorder = new RecorderSlot(deps, {
      chunk: (seg, blob) => this.onChunk(seg, blob),
      started: (seg, quality, rung) => {
        this.sender.recordingStarted(seg, this.now(), rung);
        this.quality = this.sender.expectedQuality(rung) ?? quality;
        this.set({ uplink: { ...this.state.uplink, quality: this.quality } });
      },
      failed: (message, reason) => {
        this.fail(message);
        this.ws?.close(1000, reason);
      },
      stopped: () => this.userStopped,
    });
  }

  getState = (): IngestState => this.state;

  subscribe = (listener: (s: IngestState) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): void {
    if (this.ws || this.state.phase === 'reconnecting') return;
    this.userStopped = false;
    this.set({ ...initialIngestState, phase: 'connecting' });
    this.connect();
  }

  /** Stop Streaming: stop the recorder, send what is queued and its last chunk, then close with 1000. */
  stop(): void {
    this.userStopped = true;
    this.clearTimers();
    const ws = this.ws;
    if (!ws) {
      this.dropRecorder();
      this.set({ phase: 'stopped', retryAt: null, attempt: 0 });
      return;
    }
    this.set({ phase: 'stopping' });
    const close = () => {
      if (ws.readyState <= OPEN) ws.close(1000, 'stopped by the creator');
    };
    this.later(close, STOP_GRACE_MS);
    const drain = () => {
      this.draining = close;
      this.pump(ws);
    };
    // The recorder's last chunk comes out before its stop event.
    if (!this.recorder.finish(() => void this.intake.then(drain))) drain();
  }

  /** Closing the dialog: stop everything now. */
  dispose(): void {
    this.userStopped = true;
    this.clearTimers();
    this.dropRecorder();
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState <= OPEN) ws.close(1000, 'closed');
    this.listeners.clear();
  }

  private connect(): void {
    const ws = this.deps.createSocket(this.deps.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.sender.newSocket();
    this.ready = false;
    this.retryOnClose = false;
    this.set({ phase: 'connecting', retryAt: null, pipeline: null, stream: null });

    ws.onopen = () => {
      void this.deps.getToken().then(
        (token) => this.hello(ws, token),
        () => this.hello(ws, null),
      );
    };
    ws.onmessage = (ev) => {
      if (ws === this.ws && typeof ev.data === 'string') this.onText(ws, ev.data);
    };
    ws.onerror = () => {
      /* a close event follows */
    };
    ws.onclose = (ev) => this.onClose(ws, ev.code, ev.reason ?? '');
  }

  private hello(ws: SocketLike, token: string | null): void {
    if (ws !== this.ws || ws.readyState !== OPEN) return;
    if (!token) {
      this.fail('You are signed out. Sign in again, then go live.');
      ws.close(1000, 'no session');
      return;
    }
    ws.send(JSON.stringify({ type: 'hello', token, mimeType: this.deps.mimeType }));
    this.later(() => {
      if (ws !== this.ws || this.ready) return;
      this.retryOnClose = true;
      ws.close(1000, 'no ready from the server');
    }, READY_TIMEOUT_MS);
  }

  private onText(ws: SocketLike, text: string): void {
    const msg = parseServerMessage(text);
    if (!msg) return;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.readyAt = this.now();
        this.sender.socketReady(this.readyAt);
        this.set({
          video: msg.video,
          notice: null,
          phase: this.state.phase === 'stopping' ? 'stopping' : 'streaming',
          attempt: 0,
          startedAt: this.state.startedAt ?? this.readyAt,
        });
        if (this.recorder.current)
          this.pump(ws); // what was recorded while reconnecting
        else void this.recorder.start(this.sender.rung);
        this.timers.every(TICK_MS, () => this.tick());
        break;
      case 'status': {
        const patch: Partial<IngestState> = {};
        if (msg.pipeline) patch.pipeline = { ...this.state.pipeline, ...msg.pipeline };
        if (msg.stream) patch.stream = { ...this.state.stream, ...msg.stream };
        if (msg.ack) {
          this.sender.ack(this.now(), msg.ack);
          this.pump(ws);
        }
        this.set(patch);
        break;
      }
      case 'error':
        this.set({ notice: msg.message });
        break;
    }
  }

  /** Queues a chunk (the sender ignores recordings it dropped) and sends what the window allows. */
  private onChunk(seg: number, blob: Blob): void {
    const capturedAt = this.now();
    this.intake = this.intake
      .then(() => blob.arrayBuffer())
      .then((buf) => {
        this.sender.enqueue(seg, new Uint8Array(buf), capturedAt);
        const encoded = this.sender.encodedQuality(seg); // the height its WebM header says is encoded
        if (encoded) this.set({ uplink: { ...this.state.uplink, quality: (this.quality = encoded) } });
        if (this.ws && this.ready) this.pump(this.ws);
        else this.capCarry(capturedAt);
      })
      .catch(() => undefined);
  }

  /** Reconnecting for longer than CARRY_MAX_MS: drop what was kept and record afresh on `ready`. */
  private capCarry(now: number): void {
    const since = this.sender.oldestRecordingAt;
    if (since === null || now - since <= CARRY_MAX_MS) return;
    this.dropRecorder();
    this.sender.discardAll();
  }

  /** Sends queued chunks in order while the window allows (all of them once stopping). */
  private pump(ws: SocketLike): void {
    for (;;) {
      if (ws !== this.ws || ws.readyState !== OPEN || !this.ready) return;
      const c = this.sender.next(this.now(), this.draining !== null);
      if (!c) break;
      ws.send(
        c.data.byteOffset === 0 && c.data.byteLength === c.data.buffer.byteLength
          ? (c.data.buffer as ArrayBuffer)
          : c.data.slice().buffer,
      );
      this.sender.sent(c, this.now());
      this.set({ bytesSent: this.state.bytesSent + c.bytes });
    }
    if (this.draining && this.sender.queued === 0) this.draining();
  }

  private tick(): void {
    const ws = this.ws;
    if (!ws || this.state.phase !== 'streaming') return;
    const now = this.now();
    const d: Decision = this.sender.tick(now);
    const uplink = { ...this.sender.state(now), quality: this.quality };
    if (d.kind === 'flush' || d.kind === 'switch') {
      this.deps.log?.(`uplink ${JSON.stringify(d)} ${JSON.stringify(this.sender.diagnostics(now))}`);
      this.recorder.restart(this.sender.rung);
    }
    const bps = uplink.throughputKbps;
    this.set({ uplink, ...(bps !== null ? { bitrateBps: bps * 1000 } : {}) });
    this.pump(ws);
  }

  private onClose(ws: SocketLike, code: number, reason: string): void {
    if (ws !== this.ws) return;
    this.ws = null;
    const wasReady = this.ready;
    this.ready = false;
    this.clearTimers();
    const base = { lastClose: { code, reason }, pipeline: null, stream: null, bitrateBps: 0 };
    if (this.userStopped || this.state.phase === 'failed') {
      this.dropRecorder();
      this.set(this.userStopped ? { ...base, phase: 'stopped' } : base);
      return;
    }
    const plan = planAfterClose({
      code,
      reason,
      retry: this.retryOnClose,
      stable: this.readyAt > 0 && this.now() - this.readyAt >= STABLE_AFTER_MS,
      attempt: this.state.attempt,
      random: this.deps.random,
    });
    this.readyAt = 0;
    if (plan.kind === 'fatal') {
      this.dropRecorder();
      this.set({ ...base, phase: 'failed', error: plan.message });
      return;
    }
    this.set({ ...base, phase: 'reconnecting', attempt: plan.attempt, retryAt: this.now() + plan.delayMs });
    // Keep recording: a fresh recorder (its header goes first on the next socket) from this moment on;
    // one that has sent nothing yet (a socket lost before `ready`) simply continues.
    this.sender.newSocket();
    if (this.recorder.current && wasReady) this.recorder.restart(this.sender.rung);
    this.later(() => this.connect(), plan.delayMs);
  }

  private dropRecorder(): void {
    this.draining = null;
    this.recorder.drop();
  }

  private fail(message: string): void {
    this.set({ phase: 'failed', error: message });
  }

  private later(fn: () => void, ms: number): void {
    this.timers.after(ms, fn);
  }

  private clearTimers(): void {
    this.timers.clear();
  }

  private set(patch: Partial<IngestState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }
}
