import { useEffect, useState } from 'react';
import { request } from '../api';
import type { StreamStatus } from '../api';

export interface StreamStateView {
  status: StreamStatus;
  isLive: boolean;
}

/**
 * The server's view of a stream (GET /stream/:id), polled every `intervalMs` while `enabled`:
 * tells a tab that the same stream is already being published from somewhere else.
 */
export function useStreamState(id: string, initial: StreamStateView, enabled: boolean, intervalMs = 3000) {
  const [state, setState] = useState<StreamStateView>(initial);
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ctrl = new AbortController();
    const tick = () => {
      request<StreamStateView>(`/stream/${encodeURIComponent(id)}`, { signal: ctrl.signal })
        .then(
          (s) => !stopped && setState({ status: s.status, isLive: s.isLive }),
          () => undefined, // a missed poll is retried on the next tick
        )
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, intervalMs);
        });
    };
    tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [id, enabled, intervalMs]);
  return state;
}

/** Connected or live at the provider: some publisher holds the stream right now. */
export function isPublishing(s: StreamStateView): boolean {
  return s.isLive || s.status === 'CONNECTED' || s.status === 'ACTIVE';
}
