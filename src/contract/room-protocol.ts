/**
 * The live room's WebSocket protocol (`WS /room/:handle`), shared by the server and the SPA.
 *
 * 1. The client opens the socket (anyone may: watching is public) and sends one text frame,
 *    {@link JoinMessage}, within {@link JOIN_TIMEOUT_MS}; a session token there (never in the URL) lets
 *    a signed-in viewer chat and the creator moderate. A token that does not verify closes with 4001.
 * 2. The server answers {@link JoinedMessage}: the live state, the viewer count, the last
 *    {@link JOIN_HISTORY} messages and what this client may do.
 * 3. Then the server sends chat messages, deletions, viewer counts (at most one a second), the live
 *    state, bans and refusals as they happen. Refusals of a chat action leave the socket open.
 *
 * Plain TypeScript without Node or browser APIs: both sides compile it.
 */
export const ROOM_PATH = '/room/:handle';
export const roomPath = (handle: string) => `/room/${encodeURIComponent(handle)}`;

export const JOIN_TIMEOUT_MS = 5_000;
export const JOIN_HISTORY = 50;
export const MAX_CHAT_LENGTH = 500;
/** A room frame from a client is small: anything longer closes the socket (1009). */
export const MAX_ROOM_FRAME_BYTES = 8 * 1024;
/** Longest ban in minutes (a year); `minutes: null` bans for good. */
export const MAX_BAN_MINUTES = 525_600;
export const MAX_SLOW_MODE_SEC = 3_600;

// ---- client → server

export interface JoinMessage {
  type: 'join';
  /** A session token (the API's); absent: an anonymous viewer. */
  token?: string;
}
export interface ChatSend {
  type: 'chat';
  text: string;
  /** Echoed in the `sent` or `refused` answer. */
  ref?: string;
}
export interface DeleteRequest {
  type: 'delete';
  messageId: string;
  ref?: string;
}
export interface BanRequest {
  type: 'ban';
  userId: string;
  /** null or absent: permanent. */
  minutes?: number | null;
  ref?: string;
}
export interface SlowModeRequest {
  type: 'slow-mode';
  /** 0 turns it off. */
  seconds: number;
  ref?: string;
}
export type RoomClientMessage = JoinMessage | ChatSend | DeleteRequest | BanRequest | SlowModeRequest;

// ---- server → client

export interface ChatMessageView {
  id: string;
  streamId: string;
  author: { id: string; name: string };
  text: string;
  /** ISO time. */
  createdAt: string;
  /** Milliseconds from the broadcast's start (where it sits in the recording). */
  offsetMs: number;
}

export interface RoomLiveState {
  /** The creator's open stream, if any. */
  streamId: string | null;
  isLive: boolean;
  startedAt: string | null;
}

export interface JoinedMessage {
  type: 'joined';
  creator: { id: string; handle: string; name: string };
  live: RoomLiveState;
  viewers: number;
  messages: ChatMessageView[];
  slowModeSec: number;
  you: {
    userId: string | null;
    /** Signed in (chatting also needs the room to be live and no ban). */
    canChat: boolean;
    isOwner: boolean;
    /** ISO time the ban ends; 'forever' for a permanent one; null when not banned. */
    bannedUntil: string | null;
  };
}
export interface ChatEvent {
  type: 'chat';
  message: ChatMessageView;
}
export interface DeletedEvent {
  type: 'deleted';
  messageId: string;
}
export interface ViewersEvent {
  type: 'viewers';
  count: number;
}
export interface LiveEvent {
  type: 'live';
  live: RoomLiveState;
}
export interface SlowModeEvent {
  type: 'slow-mode';
  seconds: number;
}
/** To the banned user's sockets. */
export interface BannedEvent {
  type: 'banned';
  until: string;
}
/** A chat message of yours was stored (its `chat` event follows to everyone). */
export interface SentEvent {
  type: 'sent';
  ref?: string;
  messageId: string;
}

export type RefusalReason =
  | 'sign-in'
  | 'too-long'
  | 'invalid-text'
  | 'rate-limited'
  | 'slow-mode'
  | 'banned'
  | 'not-live'
  | 'forbidden'
  | 'not-found'
  | 'bad-request';

export interface RefusedEvent {
  type: 'refused';
  ref?: string;
  reason: RefusalReason;
  message: string;
  /** rate-limited / slow-mode: when trying again may work. */
  retryAfterMs?: number;
}

export type RoomServerMessage =
  | JoinedMessage
  | ChatEvent
  | DeletedEvent
  | ViewersEvent
  | LiveEvent
  | SlowModeEvent
  | BannedEvent
  | SentEvent
  | RefusedEvent;

// ---- parsing (the server refuses anything else)

const MAX_TOKEN_LENGTH = 8192;
const MAX_REF_LENGTH = 64;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function ref(v: unknown): string | undefined {
  return typeof v === 'string' && v.length <= MAX_REF_LENGTH ? v : undefined;
}

/** Server side: one client frame, or null when it is not a well-formed message. */
export function parseRoomClientMessage(text: string): RoomClientMessage | null {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return null;
  }
  if (!m || typeof m !== 'object' || Array.isArray(m)) return null;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'join':
      if (o.token === undefined || o.token === null) return { type: 'join' };
      return typeof o.token === 'string' && o.token.length <= MAX_TOKEN_LENGTH
        ? { type: 'join', token: o.token }
        : null;
    case 'chat':
      // Length is judged by the server's rules (a clear refusal), not here; a frame is bounded anyway.
      return typeof o.text === 'string' ? { type: 'chat', text: o.text, ref: ref(o.ref) } : null;
    case 'delete':
      return typeof o.messageId === 'string' && UUID.test(o.messageId)
        ? { type: 'delete', messageId: o.messageId, ref: ref(o.ref) }
        : null;
    case 'ban': {
      const minutes = o.minutes ?? null;
      const okMinutes =
        minutes === null ||
        (typeof minutes === 'number' &&
          Number.isInteger(minutes) &&
          minutes >= 1 &&
          minutes <= MAX_BAN_MINUTES);
      return typeof o.userId === 'string' && UUID.test(o.userId) && okMinutes
        ? { type: 'ban', userId: o.userId, minutes: minutes, ref: ref(o.ref) }
        : null;
    }
    case 'slow-mode':
      return typeof o.seconds === 'number' &&
        Number.isInteger(o.seconds) &&
        o.seconds >= 0 &&
        o.seconds <= MAX_SLOW_MODE_SEC
        ? { type: 'slow-mode', seconds: o.seconds, ref: ref(o.ref) }
        : null;
    default:
      return null;
  }
}

/** Client side: one server frame; unknown or malformed frames give null (and are ignored). */
export function parseRoomServerMessage(text: string): RoomServerMessage | null {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return null;
  }
  if (!m || typeof m !== 'object') return null;
  const t = (m as { type?: unknown }).type;
  const known = ['joined', 'chat', 'deleted', 'viewers', 'live', 'slow-mode', 'banned', 'sent', 'refused'];
  return typeof t === 'string' && known.includes(t) ? (m as RoomServerMessage) : null;
}
