/** Pure rules of the ingest client: codec choice, what a close code means, reconnect backoff. */
import { CloseCode } from '@contract/close-codes';

/** In order of preference: H.264 is copied by the server, VP8 has to be transcoded. */
export const MIME_CANDIDATES = ['video/webm;codecs=h264,opus', 'video/webm;codecs=vp8,opus'] as const;

export const VIDEO_BITS_PER_SECOND = 2_500_000;
export const AUDIO_BITS_PER_SECOND = 128_000;
/** A keyframe every 2 s, so the server can restart FFmpeg or recover from congestion quickly. */
export const KEYFRAME_INTERVAL_MS = 2000;
/** MediaRecorder timeslice: a chunk every 100 ms (a shorter wait before media can leave). */
export const TIMESLICE_MS = 100;

export const MAX_RECONNECT_ATTEMPTS = 8;
/** A connection that streamed this long resets the reconnect counter. */
export const STABLE_AFTER_MS = 15_000;
/** How long to wait for the server's `ready` after the hello. */
export const READY_TIMEOUT_MS = 15_000;

export type Recordability = { ok: true; mimeType: string } | { ok: false; message: string };

/** Picks the best WebM type this browser can record, or says why it cannot. */
export function chooseMimeType(
  recorder: { isTypeSupported?: (t: string) => boolean } | undefined,
): Recordability {
  if (!recorder || typeof recorder.isTypeSupported !== 'function') {
    return {
      ok: false,
      message:
        'This browser cannot record video (MediaRecorder is not available). Use a recent Chrome, Edge or Firefox to go live.',
    };
  }
  const mimeType = MIME_CANDIDATES.find((t) => recorder.isTypeSupported!(t));
  if (!mimeType) {
    return {
      ok: false,
      message:
        'This browser cannot record WebM video with H.264 or VP8, which streaming needs. Use a recent Chrome, Edge or Firefox to go live.',
    };
  }
  return { ok: true, mimeType };
}

export type CloseDecision = { kind: 'reconnect' } | { kind: 'fatal'; message: string };

const REFUSALS: Partial<Record<number, string>> = {
  [CloseCode.Unauthenticated]: 'The server could not verify your sign-in. Sign in again, then go live.',
  [CloseCode.NotYourStream]: 'This stream belongs to another account.',
  [CloseCode.UnknownStreamKey]:
    'The server does not know this stream key. Close this dialog and press Go Live again.',
  [CloseCode.AlreadyPublishing]:
    'Another tab or device is already streaming to this key. Stop streaming there first.',
  [CloseCode.UnsupportedMedia]: 'The server cannot use the video format this browser records.',
  [CloseCode.PipelineGaveUp]:
    'The server’s video pipeline failed repeatedly and gave up. Press Start Streaming to try again.',
};

/**
 * What to do when the socket closed without the user asking for it.
 * 4001/4003/4004/4009/4013 are refusals: reconnecting would be refused again, so they are shown.
 * 4500 (the pipeline gave up after its own restarts) is shown too: a retry is the user's call.
 * 1001 (server going away), 1006/1011 (abnormal) and anything unknown below 4000 reconnect.
 */
export function classifyClose(code: number, reason: string): CloseDecision {
  // A known refusal is said in our words; the server's own reason stays in the dialog's Details.
  const known = REFUSALS[code];
  if (known) return { kind: 'fatal', message: known };
  if (code >= 4000 && code < 5000) {
    return { kind: 'fatal', message: withReason(`The server closed the stream (code ${code}).`, reason) };
  }
  return { kind: 'reconnect' };
}

function withReason(message: string, reason: string): string {
  const r = reason.trim();
  return r ? `${message} (Server said: ${r})` : message;
}

/**
 * The first retry after a dropped socket comes at once (the server keeps the broadcast open for its
 * reconnect window, and waits for the old connection to finish), then exponential backoff with ±20 %
 * jitter: 1 s, 2 s, 4 s, 8 s, then 15 s. `attempt` starts at 1.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = attempt <= 1 ? 0 : Math.min(15_000, 1000 * 2 ** Math.max(0, attempt - 2));
  const jitter = 1 + (random() * 0.4 - 0.2);
  return Math.round(base * jitter);
}

/** `ws(s)://<this host><ingestPath>`, matching the page's scheme. */
export function ingestUrl(ingestPath: string, loc: { protocol: string; host: string }): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}${ingestPath.startsWith('/') ? '' : '/'}${ingestPath}`;
}

export type ClosePlan =
  { kind: 'fatal'; message: string } | { kind: 'reconnect'; attempt: number; delayMs: number };

/**
 * After a close the user did not ask for: a refusal is fatal; otherwise reconnect (a connection that
 * streamed for STABLE_AFTER_MS starts counting attempts afresh), until MAX_RECONNECT_ATTEMPTS.
 * `retry`: we closed it ourselves and want another try.
 */
export function planAfterClose(c: {
  code: number;
  reason: string;
  retry: boolean;
  stable: boolean;
  attempt: number;
  random?: () => number;
}): ClosePlan {
  const decision = c.retry ? ({ kind: 'reconnect' } as const) : classifyClose(c.code, c.reason);
  if (decision.kind === 'fatal') return decision;
  const attempt = c.stable ? 1 : c.attempt + 1;
  if (attempt > MAX_RECONNECT_ATTEMPTS) {
    return {
      kind: 'fatal',
      message: `Lost the connection to the server (code ${c.code}) and could not reconnect. Press Start Streaming to try again.`,
    };
  }
  return { kind: 'reconnect', attempt, delayMs: backoffDelay(attempt, c.random) };
}
