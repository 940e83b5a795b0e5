import type { IngestState } from '../ingest/types';

/** The creator's words for the ingest state (the Go Live dialog and the "You're live" bar). */

export const ACTIVE_PHASES: ReadonlySet<IngestState['phase']> = new Set([
  'connecting',
  'streaming',
  'reconnecting',
  'stopping',
]);

export function isActive(state: IngestState): boolean {
  return ACTIVE_PHASES.has(state.phase);
}

export function isLive(state: IngestState): boolean {
  return state.phase === 'streaming' && !!state.stream?.isLive;
}

/** u2's uplink estimate, when this build's IngestState carries it. */
function uplinkOf(state: IngestState): { weak?: boolean; quality?: string | null } | null {
  const u = (state as { uplink?: unknown }).uplink;
  return u && typeof u === 'object' ? u : null;
}

export type ConnectionWord = 'Good' | 'Poor' | 'Reconnecting…' | 'Connecting…' | '–';

/** Good or poor: poor while the server drops video to catch up, restarts, or the uplink is weak. */
export function connectionWord(state: IngestState): ConnectionWord {
  switch (state.phase) {
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'streaming': {
      const p = state.pipeline;
      const poor = !!p?.congested || p?.state === 'restarting' || !!uplinkOf(state)?.weak;
      return poor ? 'Poor' : 'Good';
    }
    default:
      return '–';
  }
}

/**
 * The one line that says where the broadcast stands. It sits in a live region, so it changes only when
 * the state does (no ticking countdown).
 */
export function headline(state: IngestState): string {
  switch (state.phase) {
    case 'idle':
      return 'Not streaming yet';
    case 'connecting':
      return 'Connecting…';
    case 'streaming':
      if (state.stream?.isLive) return 'Live';
      return state.pipeline?.state === 'restarting' ? 'Recovering…' : 'Starting your stream…';
    case 'reconnecting':
      return 'Connection lost — reconnecting…';
    case 'stopping':
      return 'Stopping…';
    case 'stopped':
      return 'Stream stopped';
    case 'failed':
      return 'Not streaming';
  }
}

/** The socket's state for the Details disclosure (close codes and provider status live here). */
export function socketDetail(state: IngestState): string {
  switch (state.phase) {
    case 'connecting':
      return 'connecting';
    case 'streaming':
      return state.stream?.status ? `connected (${state.stream.status.toLowerCase()})` : 'connected';
    case 'reconnecting':
      return `lost, retry ${state.attempt}`;
    case 'stopping':
      return 'closing';
    default:
      return state.lastClose ? `closed (${state.lastClose.code})` : '–';
  }
}
