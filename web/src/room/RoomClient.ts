/**
 * The SPA's side of the live room (`WS /room/:handle`, protocol in src/contract/room-protocol.ts): one
 * socket per room, joined with the session token in the first frame, reconnected with backoff when it
 * drops. Its state is an immutable snapshot for useSyncExternalStore (see useRoom).
 */
import { CloseCode } from '@contract/close-codes';
import {
  type ChatMessageView,
  type JoinedMessage,
  parseRoomServerMessage,
  type RefusalReason,
  type RoomClientMessage,
  type RoomLiveState,
  type RoomServerMessage,
} from '@contract/room-protocol';

/** How many messages the panel keeps (the oldest fall off). */
export const MAX_KEPT_MESSAGES = 200;

export type RoomStatus = 'idle' | 'connecting' | 'joined' | 'reconnecting' | 'closed';

export interface RoomNotice {
  reason: RefusalReason | 'banned';
  message: string;
  /** Counts up, so the same refusal twice is still a new notice. */
  seq: number;
}

export interface RoomSnapshot {
  status: RoomStatus;
  creator: JoinedMessage['creator'] | null;
  live: RoomLiveState | null;
  viewers: number;
  messages: readonly ChatMessageView[];
  slowModeSec: number;
  you: JoinedMessage['you'] | null;
  /** The latest refusal or ban (shown until the next one). */
  notice: RoomNotice | null;
  /** Why the room gave up for good (unknown creator). */
  error: string | null;
  /** Reconnect attempts since the last join. */
  attempt: number;
}

export const initialRoomSnapshot: RoomSnapshot = {
  status: 'idle',
  creator: null,
  live: null,
  viewers: 0,
  messages: [],
  slowModeSec: 0,
  you: null,
  notice: null,
  error: null,
  attempt: 0,
};

type Handler<E> = ((ev: E) => void) | null;
export interface RoomSocketLike {
  readyState: number;
  onopen: Handler<unknown>;
  onmessage: Handler<{ data: unknown }>;
  onclose: Handler<{ code: number; reason: string }>;
  onerror: Handler<unknown>;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface RoomClientOptions {
  url: string;
  getToken: () => Promise<string | null>;
  createSocket: (url: string) => RoomSocketLike;
  random?: () => number;
}

/** Wait before reconnect attempt `attempt` (1, 2, …): 0.5 s doubling to 15 s, ±20 % jitter. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 + (random() * 0.4 - 0.2)));
}

let refs = 0;

export class RoomClient {
  private snapshot: RoomSnapshot = initialRoomSnapshot;
  private readonly listeners = new Set<() => void>();
  private ws: RoomSocketLike | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private noticeSeq = 0;

  constructor(private readonly opts: RoomClientOptions) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): RoomSnapshot => this.snapshot;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  /** Closes the socket and stops reconnecting (start() may open it again). */
  stop(): void {
    this.running = false;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
      if (ws.readyState <= 1) ws.close(1000, 'left the page');
    }
    this.set({ status: this.snapshot.status === 'closed' ? 'closed' : 'idle' });
  }

  /** Sends a chat message; false when the socket is not joined. */
  sendChat(text: string): boolean {
    return this.sendFrame({ type: 'chat', text, ref: `c${++refs}` });
  }

  deleteMessage(messageId: string): boolean {
    return this.sendFrame({ type: 'delete', messageId, ref: `d${++refs}` });
  }

  /** `minutes` null: for good. */
  ban(userId: string, minutes: number | null = null): boolean {
    return this.sendFrame({ type: 'ban', userId, minutes, ref: `b${++refs}` });
  }

  setSlowMode(seconds: number): boolean {
    return this.sendFrame({ type: 'slow-mode', seconds, ref: `s${++refs}` });
  }

  clearNotice(): void {
    if (this.snapshot.notice) this.set({ notice: null });
  }

  private sendFrame(m: RoomClientMessage): boolean {
    if (this.snapshot.status !== 'joined' || !this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(JSON.stringify(m));
    return true;
  }

  private connect(): void {
    if (!this.running) return;
    this.retry = null;
    const attempt = this.snapshot.attempt;
    this.set({ status: attempt > 0 ? 'reconnecting' : 'connecting' });
    let ws: RoomSocketLike;
    try {
      ws = this.opts.createSocket(this.opts.url);
    } catch {
      return this.scheduleReconnect();
    }
    this.ws = ws;
    ws.onopen = () => {
      void this.opts.getToken().then(
        (token) => this.join(ws, token),
        () => this.join(ws, null),
      );
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      const m = parseRoomServerMessage(ev.data);
      if (m) this.receive(m);
    };
    ws.onerror = () => undefined; // onclose follows
    ws.onclose = (ev) => this.closed(ws, ev.code, ev.reason);
  }

  private join(ws: RoomSocketLike, token: string | null): void {
    if (ws !== this.ws || ws.readyState !== 1) return;
    ws.send(JSON.stringify(token ? { type: 'join', token } : { type: 'join' }));
  }

  private closed(ws: RoomSocketLike, code: number, reason: string): void {
    if (ws !== this.ws) return;
    this.ws = null;
    if (code === CloseCode.UnknownRoom) {
      this.running = false;
      this.set({ status: 'closed', error: reason || 'No creator has this handle' });
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    const attempt = this.snapshot.attempt + 1;
    this.set({ status: 'reconnecting', attempt });
    this.retry = setTimeout(() => this.connect(), reconnectDelay(attempt, this.opts.random));
  }

  private notice(reason: RoomNotice['reason'], message: string): RoomNotice {
    return { reason, message, seq: ++this.noticeSeq };
  }

  private receive(m: RoomServerMessage): void {
    const s = this.snapshot;
    switch (m.type) {
      case 'joined':
        return this.set({
          status: 'joined',
          attempt: 0,
          creator: m.creator,
          live: m.live,
          viewers: m.viewers,
          messages: m.messages.slice(-MAX_KEPT_MESSAGES),
          slowModeSec: m.slowModeSec,
          you: m.you,
          error: null,
        });
      case 'chat': {
        if (s.messages.some((x) => x.id === m.message.id)) return;
        if (s.live?.streamId && m.message.streamId !== s.live.streamId) return;
        const messages = [...s.messages, m.message];
        return this.set({ messages: messages.slice(-MAX_KEPT_MESSAGES) });
      }
      case 'deleted':
        if (!s.messages.some((x) => x.id === m.messageId)) return;
        return this.set({ messages: s.messages.filter((x) => x.id !== m.messageId) });
      case 'viewers':
        return this.set({ viewers: m.count });
      case 'live': {
        // A new broadcast starts a fresh chat.
        const fresh = m.live.streamId !== s.live?.streamId;
        return this.set({ live: m.live, ...(fresh ? { messages: [] } : {}) });
      }
      case 'slow-mode':
        return this.set({ slowModeSec: m.seconds });
      case 'banned': {
        const until = m.until === 'forever' ? 'for good' : `until ${new Date(m.until).toLocaleString()}`;
        return this.set({
          you: s.you ? { ...s.you, bannedUntil: m.until } : s.you,
          notice: this.notice('banned', `You are banned from this chat ${until}`),
        });
      }
      case 'sent':
        return;
      case 'refused': {
        const wait = m.retryAfterMs ? ` (try again in ${Math.ceil(m.retryAfterMs / 1000)} s)` : '';
        return this.set({ notice: this.notice(m.reason, `${m.message}${wait}`) });
      }
    }
  }

  private set(patch: Partial<RoomSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }
}
