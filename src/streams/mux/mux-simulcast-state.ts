/**
 * Mux simulcast target webhooks (`video.live_stream.simulcast_target.<status>`) and the per-target
 * state the Go Live dialog shows, as in local mode: live, connecting, or failed — reason. Pure.
 */
import type { RestreamTargetState, RestreamTargetStatus } from '../../contract/ingest-protocol';
import type { MuxEvent } from './mux-event';

export const SIMULCAST_EVENT_PREFIX = 'video.live_stream.simulcast_target.';
const STATUSES = ['idle', 'starting', 'broadcasting', 'errored'] as const;
export type SimulcastStatus = (typeof STATUSES)[number];

/** What we keep per restream target: Mux's status, why it errored, and the event's created_at. */
export interface StoredSimulcastState {
  status: SimulcastStatus;
  reason: string | null;
  at: string;
}

export interface SimulcastStateChange {
  targetId: string;
  /** The live stream, when the event names it (data.live_stream_id or an envelope object of type live). */
  liveStreamId: string | null;
  state: StoredSimulcastState;
}

const PASSTHROUGH = /^vybzz:([0-9a-f-]{36})$/i;
const REASON_MAX = 200;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function errorReason(data: Record<string, unknown>): string {
  const e = data.error;
  const text = typeof e === 'string' ? e : isRecord(e) && typeof e.message === 'string' ? e.message : '';
  const clean = [...text]
    .map((ch) => (ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127 ? ' ' : ch))
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (clean) return clean.length > REASON_MAX ? `${clean.slice(0, REASON_MAX - 1)}…` : clean;
  return data.error_severity === 'fatal' ? 'Mux gave up on this target' : 'Mux could not reach this target';
}

/**
 * A simulcast target event of ours (passthrough `vybzz:<target id>`), or a reason to ignore it.
 * The status comes from the event type (data.status may lag behind it).
 */
export function planSimulcastState(
  e: MuxEvent,
  envelope?: unknown,
): { ok: true; change: SimulcastStateChange } | { ok: false; reason: string } {
  const status = e.type.slice(SIMULCAST_EVENT_PREFIX.length) as SimulcastStatus;
  if (!STATUSES.includes(status)) return { ok: false, reason: `event type ${e.type} is not used` };
  const m = typeof e.data.passthrough === 'string' ? PASSTHROUGH.exec(e.data.passthrough) : null;
  if (!m) return { ok: false, reason: 'simulcast target without a vybzz passthrough' };
  const obj = isRecord(envelope) && isRecord(envelope.object) ? envelope.object : null;
  const liveStreamId =
    typeof e.data.live_stream_id === 'string' && e.data.live_stream_id
      ? e.data.live_stream_id
      : obj && obj.type === 'live' && typeof obj.id === 'string'
        ? obj.id
        : null;
  return {
    ok: true,
    change: {
      targetId: m[1]!.toLowerCase(),
      liveStreamId,
      state: {
        status,
        reason: status === 'errored' ? errorReason(e.data) : null,
        at: e.createdAt.toISOString(),
      },
    },
  };
}

const STATE_OF: Record<SimulcastStatus, RestreamTargetState> = {
  idle: 'connecting',
  starting: 'connecting',
  broadcasting: 'live',
  errored: 'failed',
};

/** The creator's enabled targets, in their order, with what Mux last said of each. */
export function restreamStates(
  targets: readonly { id: string; name: string }[],
  stored: unknown,
): RestreamTargetStatus[] {
  const states = isRecord(stored) ? stored : {};
  return targets.map((t) => {
    const s = states[t.id];
    const status = isRecord(s) && typeof s.status === 'string' ? (s.status as SimulcastStatus) : 'idle';
    const state = STATE_OF[status] ?? 'connecting';
    const reason = state === 'failed' && isRecord(s) && typeof s.reason === 'string' ? s.reason : null;
    return { id: t.id, name: t.name, state, reason };
  });
}
