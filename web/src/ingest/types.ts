import type { PipelineStatus, StreamState } from './messages';
import { initialUplinkState } from './uplink-sender';
import type { UplinkState } from './uplink-sender';

/** State and injected dependencies of the ingest client. */

export type IngestPhase =
  'idle' | 'connecting' | 'streaming' | 'reconnecting' | 'stopping' | 'stopped' | 'failed';

export interface IngestState {
  phase: IngestPhase;
  /** Why streaming stopped for good (refusal, denied token, too many drops). */
  error: string | null;
  /** The server's latest `error` frame, or a transient warning. */
  notice: string | null;
  video: 'copy' | 'transcode' | null;
  pipeline: Partial<PipelineStatus> | null;
  stream: Partial<StreamState> | null;
  /** When the first connection of this broadcast got `ready` (ms since epoch). */
  startedAt: number | null;
  bytesSent: number;
  /** Bits per second: from the server's bytesIn when it reports them, from what we sent otherwise. */
  bitrateBps: number;
  /** Reconnect attempt in progress (0 when connected). */
  attempt: number;
  retryAt: number | null;
  lastClose: { code: number; reason: string } | null;
  /** What the server's acknowledgements say about the uplink, and the quality chosen for it. */
  uplink: UplinkState;
}

type SocketHandler<E> = ((ev: E) => void) | null;
export interface SocketLike {
  readyState: number;
  binaryType: string;
  bufferedAmount: number;
  onopen: SocketHandler<unknown>;
  onmessage: SocketHandler<{ data: unknown }>;
  onclose: SocketHandler<{ code: number; reason: string }>;
  onerror: SocketHandler<unknown>;
  send(data: ArrayBuffer | string): void;
  close(code?: number, reason?: string): void;
}

export interface RecorderLike {
  state: 'inactive' | 'recording' | 'paused';
  ondataavailable: SocketHandler<{ data: Blob }>;
  onstop: SocketHandler<unknown>;
  onerror: SocketHandler<unknown>;
  start(timeslice?: number): void;
  stop(): void;
}

export interface RecorderOptions {
  mimeType: string;
  videoBitsPerSecond: number;
  audioBitsPerSecond: number;
  videoKeyFrameIntervalDuration: number;
}

export interface IngestDeps {
  url: string;
  /**
   * The camera at a lower height for a lower rung (a scaled clone of the video track plus the audio),
   * the height it really has, and a function that releases it. Without it every rung records `media`.
   */
  scaleMedia?: (
    media: MediaStream,
    height: number,
  ) => Promise<{ media: MediaStream; height: number | null; release: () => void }>;
  mimeType: string;
  media: MediaStream;
  getToken: () => Promise<string | null>;
  createSocket: (url: string) => SocketLike;
  createRecorder: (media: MediaStream, options: RecorderOptions) => RecorderLike;
  now?: () => number;
  random?: () => number;
  /** Diagnostics (quality switches and why). */
  log?: (msg: string) => void;
}

export const initialIngestState: IngestState = {
  phase: 'idle',
  error: null,
  notice: null,
  video: null,
  pipeline: null,
  stream: null,
  startedAt: null,
  bytesSent: 0,
  bitrateBps: 0,
  attempt: 0,
  retryAt: null,
  lastClose: null,
  uplink: initialUplinkState,
};
