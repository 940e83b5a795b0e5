/**
 * The ingest WebSocket protocol (`WS /stream/live/:streamKey`), shared by the server and the SPA.
 *
 * 1. The client opens the socket and sends one text frame, {@link HelloMessage}.
 * 2. The server answers `ready` once the token and key are accepted (or closes with a
 *    refusal code from `close-codes.ts`). Binary frames after `ready` are WebM media chunks; a client may start
 *    a new WebM stream (a new EBML header) at any time and the broadcast continues.
 * 3. The server sends `status` frames: pipeline statistics, the stream's state, and an `ack` of what
 *    it has received.
 *
 * Plain TypeScript without Node or browser APIs: both sides compile it.
 */
/** The socket path; `:streamKey` is the stream's key (8–128 word characters or dashes). */
export const INGEST_PATH = '/stream/live/:streamKey';

/** Client → server: the first text frame. */
export interface HelloMessage {
  type: 'hello';
  token: string;
  mimeType: string;
}

export type PipelineState = 'starting' | 'running' | 'restarting' | 'stopping' | 'ended' | 'failed';

/** Statistics of the server's FFmpeg pipeline for this stream. */
export interface PipelineStatus {
  state: PipelineState;
  /** Bytes the pipeline received. */
  bytesIn: number;
  /** Bytes written into FFmpeg (replays after a restart included). */
  bytesOut: number;
  /** Bytes waiting in the queue in front of FFmpeg. */
  queueBytes: number;
  droppedClusters: number;
  droppedBytes: number;
  restarts: number;
  /** The queue is over half full or had to drop data and has not recovered yet. */
  congested: boolean;
  lastExitReason: string | null;
  /** Bytes FFmpeg reported writing to its output. */
  outputBytes: number;
  /** Media time FFmpeg's current process has output (ms). */
  outputTimeMs: number;
  pid: number | null;
  /**
   * Each enabled restream target's state (issue 12); absent when there are none. Local mode: read from
   * FFmpeg. Mux mode: from Mux's simulcast target webhooks, sent alone (`{restream}`) when one changes.
   */
  restream?: RestreamTargetStatus[];
}

export type RestreamTargetState = 'connecting' | 'live' | 'failed';

/** One restream target as the Go Live dialog shows it: "YouTube: live", "Twitch: failed — connection refused". */
export interface RestreamTargetStatus {
  id: string;
  name: string;
  state: RestreamTargetState;
  /** Why it failed, in FFmpeg's words (never a URL or key). */
  reason: string | null;
}

export type StreamStatus = 'IDLE' | 'CONNECTED' | 'ACTIVE' | 'DISCONNECTED' | 'ENDED';

export interface StreamState {
  status: StreamStatus;
  isLive: boolean;
}

/**
 * What the server has received on this socket, sent at least every 250 ms while media arrives.
 */
export interface IngestAck {
  /** Total binary bytes received on this socket (queued, written or dropped). */
  bytes: number;
  /** Highest WebM media time (cluster timecode + block offset, ms) parsed in the current WebM segment. */
  mediaMs: number;
  /** How many WebM initialization segments (EBML headers) this socket has carried (1 for the first). */
  segment: number;
  /**
   * How late this acknowledgement is because the server was busy (event-loop lag, ms): media that
   * waited for a busy server is not a slow uplink, so the client takes this off its backlog.
   */
  lagMs?: number;
}

export interface ReadyMessage {
  type: 'ready';
  streamId: string;
  /** `copy`: the video is passed through; `transcode`: the server re-encodes it. */
  video: 'copy' | 'transcode';
}

export interface StatusMessage {
  type: 'status';
  pipeline?: Partial<PipelineStatus>;
  stream?: Partial<StreamState>;
  ack?: IngestAck;
}

export interface ErrorMessage {
  type: 'error';
  message: string;
}

/** Server → client text frames. */
export type ServerMessage = ReadyMessage | StatusMessage | ErrorMessage;

/** Bounds of the hello's fields (the server refuses longer ones). */
export const MAX_TOKEN_LENGTH = 8192;
export const MAX_MIME_TYPE_LENGTH = 200;

function parseJsonObject(text: string): Record<string, unknown> | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  return isObject(data) ? (data as Record<string, unknown>) : null;
}

function isObject(v: unknown): v is object {
  return !!v && typeof v === 'object';
}

/** Server side: the hello, or null for anything else. */
export function parseHello(text: string): HelloMessage | null {
  const m = parseJsonObject(text);
  if (!m || m.type !== 'hello' || typeof m.token !== 'string' || typeof m.mimeType !== 'string') return null;
  if (m.token.length > MAX_TOKEN_LENGTH || m.mimeType.length > MAX_MIME_TYPE_LENGTH) return null;
  return { type: 'hello', token: m.token, mimeType: m.mimeType };
}

/** Client side: one server text frame; unknown or malformed frames give null (and are ignored). */
export function parseServerMessage(text: string): ServerMessage | null {
  const msg = parseJsonObject(text);
  if (!msg) return null;
  switch (msg.type) {
    case 'ready':
      return {
        type: 'ready',
        streamId:
          typeof msg.streamId === 'string' || typeof msg.streamId === 'number' ? String(msg.streamId) : '',
        video: msg.video === 'transcode' ? 'transcode' : 'copy',
      };
    case 'status':
      return {
        type: 'status',
        pipeline: isObject(msg.pipeline) ? msg.pipeline : undefined,
        stream: isObject(msg.stream) ? msg.stream : undefined,
        ack: parseAck(msg.ack),
      };
    case 'error':
      return {
        type: 'error',
        message: typeof msg.message === 'string' ? msg.message : 'Unknown server error',
      };
    default:
      return null;
  }
}

function parseAck(v: unknown): IngestAck | undefined {
  if (!isObject(v)) return undefined;
  const a = v as Record<string, unknown>;
  const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : null);
  const bytes = n(a.bytes);
  const mediaMs = n(a.mediaMs);
  const segment = n(a.segment);
  if (bytes === null || mediaMs === null || segment === null) return undefined;
  const lagMs = n(a.lagMs);
  return lagMs === null ? { bytes, mediaMs, segment } : { bytes, mediaMs, segment, lagMs };
}
