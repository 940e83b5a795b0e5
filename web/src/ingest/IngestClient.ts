import { parseServerMessage } from './messages';
import {
  AUDIO_BITS_PER_SECOND,
  KEYFRAME_INTERVAL_MS,
  MAX_RECONNECT_ATTEMPTS,
  READY_TIMEOUT_MS,
  STABLE_AFTER_MS,
  TIMESLICE_MS,
  VIDEO_BITS_PER_SECOND,
  backoffDelay,
  classifyClose,
} from './policy';
import { initialIngestState } from './types';
import type { IngestDeps, IngestState, RecorderLike, SocketLike } from './types';

/**
 * Browser → server ingest over one WebSocket at a time (DESIGN.md "Ingest protocol"):
 * open → hello {token, mimeType} → wait for `ready` → a NEW MediaRecorder per connection (the server
 * needs a fresh WebM header) → each chunk as a binary frame. Drops reconnect with backoff; refusals stop.
 * Framework-free; the DOM types it needs are injected so tests drive it with fakes.
 */

const OPEN = 1;
const STOP_GRACE_MS = 3000;
const BACKLOG_WARN_BYTES = 4 * 1024 * 1024;

export class IngestClient {
  private state: IngestState = initialIngestState;
  private listeners = new Set<(s: IngestState) => void>();
  private ws: SocketLike | null = null;
  private recorder: RecorderLike | null = null;
  private sendChain: Promise<void> = Promise.resolve();
  private userStopped = false;
  /** Set when we close the socket ourselves and want a reconnect (no `ready` in time). */
  private retryOnClose = false;
  private readyAt = 0;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private meter = { at: 0, bytes: 0, serverAt: 0, serverBytes: -1 };
  private readonly now: () => number;

  constructor(private readonly deps: IngestDeps) {
    this.now = deps.now ?? Date.now;
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

  /** Stop Streaming: stop the recorder, send its last chunk, then close with 1000. */
  stop(): void {
    this.userStopped = true;
    this.clearTimers();
    const ws = this.ws;
    const rec = this.recorder;
    if (!ws) {
      this.set({ phase: 'stopped', retryAt: null, attempt: 0 });
      return;
    }
    this.set({ phase: 'stopping' });
    const close = () => {
      if (ws.readyState <= OPEN) ws.close(1000, 'stopped by the creator');
    };
    this.later(close, STOP_GRACE_MS);
    if (rec && rec.state !== 'inactive') {
      rec.onstop = () => void this.sendChain.then(close);
      rec.stop(); // fires a last dataavailable, then stop
    } else {
      void this.sendChain.then(close);
    }
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
    this.sendChain = Promise.resolve();
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
      if (ws !== this.ws || this.recorder) return;
      this.retryOnClose = true;
      ws.close(1000, 'no ready from the server');
    }, READY_TIMEOUT_MS);
  }

  private onText(ws: SocketLike, text: string): void {
    const msg = parseServerMessage(text);
    if (!msg) return;
    switch (msg.type) {
      case 'ready':
        this.set({ video: msg.video, notice: null });
        this.startRecorder(ws);
        break;
      case 'status': {
        const patch: Partial<IngestState> = {};
        if (msg.pipeline) {
          patch.pipeline = { ...this.state.pipeline, ...msg.pipeline };
          this.meterServer(msg.pipeline.bytesIn, patch);
        }
        if (msg.stream) patch.stream = { ...this.state.stream, ...msg.stream };
        this.set(patch);
        break;
      }
      case 'error':
        this.set({ notice: msg.message });
        break;
    }
  }

  private startRecorder(ws: SocketLike): void {
    if (this.recorder) return;
    let rec: RecorderLike;
    try {
      rec = this.deps.createRecorder(this.deps.media, {
        mimeType: this.deps.mimeType,
        videoBitsPerSecond: VIDEO_BITS_PER_SECOND,
        audioBitsPerSecond: AUDIO_BITS_PER_SECOND,
        videoKeyFrameIntervalDuration: KEYFRAME_INTERVAL_MS,
      });
    } catch (e) {
      this.fail(`The browser could not start recording: ${(e as Error).message}`);
      ws.close(1000, 'recorder failed');
      return;
    }
    rec.ondataavailable = (ev) => {
      if (ev.data.size > 0) this.enqueue(ws, ev.data);
    };
    rec.onerror = () => {
      if (this.recorder !== rec) return;
      this.fail('Recording stopped unexpectedly (was the camera or microphone disconnected?).');
      ws.close(1000, 'recorder error');
    };
    this.recorder = rec;
    rec.start(TIMESLICE_MS);
    this.readyAt = this.now();
    this.meter = { at: this.readyAt, bytes: this.state.bytesSent, serverAt: 0, serverBytes: -1 };
    this.set({ phase: 'streaming', attempt: 0, startedAt: this.state.startedAt ?? this.readyAt });
  }

  /** Chunks go out in order: each waits for the previous one's bytes. */
  private enqueue(ws: SocketLike, blob: Blob): void {
    this.sendChain = this.sendChain.then(async () => {
      const buf = await blob.arrayBuffer();
      if (ws.readyState !== OPEN) return;
      ws.send(buf);
      const bytesSent = this.state.bytesSent + buf.byteLength;
      const patch: Partial<IngestState> = { bytesSent };
      const t = this.now();
      if (t - this.meter.at >= 1000 && t - this.meter.serverAt > 5000) {
        patch.bitrateBps = Math.round(((bytesSent - this.meter.bytes) * 8 * 1000) / (t - this.meter.at));
        this.meter.at = t;
        this.meter.bytes = bytesSent;
      }
      if (ws.bufferedAmount > BACKLOG_WARN_BYTES) {
        patch.notice = 'Your upload is slower than the video: the stream may stutter.';
      }
      this.set(patch);
    });
  }

  private meterServer(bytesIn: number | undefined, patch: Partial<IngestState>): void {
    if (typeof bytesIn !== 'number') return;
    const t = this.now();
    const m = this.meter;
    if (m.serverBytes >= 0 && bytesIn >= m.serverBytes && t > m.serverAt) {
      patch.bitrateBps = Math.round(((bytesIn - m.serverBytes) * 8 * 1000) / (t - m.serverAt));
    }
    m.serverAt = t;
    m.serverBytes = bytesIn;
  }

  private onClose(ws: SocketLike, code: number, reason: string): void {
    if (ws !== this.ws) return;
    this.ws = null;
    this.clearTimers();
    this.dropRecorder();
    const base = { lastClose: { code, reason }, pipeline: null, stream: null, bitrateBps: 0 };
    if (this.userStopped) {
      this.set({ ...base, phase: 'stopped' });
      return;
    }
    if (this.state.phase === 'failed') {
      this.set(base);
      return;
    }
    const decision = this.retryOnClose ? ({ kind: 'reconnect' } as const) : classifyClose(code, reason);
    if (decision.kind === 'fatal') {
      this.set({ ...base, phase: 'failed', error: decision.message });
      return;
    }
    const stable = this.readyAt > 0 && this.now() - this.readyAt >= STABLE_AFTER_MS;
    const attempt = stable ? 1 : this.state.attempt + 1;
    this.readyAt = 0;
    if (attempt > MAX_RECONNECT_ATTEMPTS) {
      this.set({
        ...base,
        phase: 'failed',
        error: `Lost the connection to the server (code ${code}) and could not reconnect. Press Start Streaming to try again.`,
      });
      return;
    }
    const delay = backoffDelay(attempt, this.deps.random);
    this.set({ ...base, phase: 'reconnecting', attempt, retryAt: this.now() + delay });
    this.later(() => this.connect(), delay);
  }

  private dropRecorder(): void {
    const rec = this.recorder;
    this.recorder = null;
    if (!rec) return;
    rec.ondataavailable = null;
    rec.onstop = null;
    rec.onerror = null;
    if (rec.state !== 'inactive') {
      try {
        rec.stop();
      } catch {
        /* already stopped */
      }
    }
  }

  private fail(message: string): void {
    this.set({ phase: 'failed', error: message });
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private set(patch: Partial<IngestState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }
}
