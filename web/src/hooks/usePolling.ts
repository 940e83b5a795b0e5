import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api';

interface Polled<T> {
  data: T | null;
  error: string | null;
  /** The HTTP status of the last error (0: network), null without one. */
  errorStatus: number | null;
  /** True until the first answer (or error). */
  loading: boolean;
}

/**
 * Calls `load` now and every `intervalMs` while the page is visible; keeps the last good answer
 * when a later poll fails. `key` restarts it (e.g. another handle).
 */
export function usePolling<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
  intervalMs: number,
): Polled<T> {
  const [state, setState] = useState<Polled<T>>({
    data: null,
    error: null,
    errorStatus: null,
    loading: true,
  });
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let ctrl: AbortController | undefined;
    setState({ data: null, error: null, errorStatus: null, loading: true });

    const tick = () => {
      ctrl = new AbortController();
      loadRef
        .current(ctrl.signal)
        .then(
          (data) => {
            if (!stopped) setState({ data, error: null, errorStatus: null, loading: false });
          },
          (e: Error) => {
            if (stopped || e.name === 'AbortError') return;
            const errorStatus = e instanceof ApiError ? e.status : 0;
            setState((s) => ({ ...s, error: e.message, errorStatus, loading: false }));
          },
        )
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, document.hidden ? intervalMs * 3 : intervalMs);
        });
    };
    tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
      ctrl?.abort();
    };
  }, [key, intervalMs]);

  return state;
}
