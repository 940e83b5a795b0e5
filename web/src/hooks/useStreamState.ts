import { useQuery } from '@tanstack/react-query';
import type { StreamState } from '../api';
import { useApi } from '../auth/context';
import { POLL_MS, streamQuery } from '../lib/queries';

export type StreamStateView = StreamState;

/**
 * The server's view of a stream (GET /stream/:id), polled every `intervalMs` while `enabled`:
 * tells a tab that the same stream is already being published from somewhere else.
 */
export function useStreamState(
  id: string,
  initial: StreamStateView,
  enabled: boolean,
  intervalMs = POLL_MS.stream,
): StreamStateView {
  const api = useApi();
  const { data } = useQuery({ ...streamQuery(api, id, intervalMs), enabled });
  return data ? { status: data.status, isLive: data.isLive } : initial;
}

/** Connected or live at the provider: some publisher holds the stream right now. */
export function isPublishing(s: StreamStateView): boolean {
  return s.isLive || s.status === 'CONNECTED' || s.status === 'ACTIVE';
}
