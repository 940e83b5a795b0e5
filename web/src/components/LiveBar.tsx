import { useEffect } from 'react';
import type { RefObject } from 'react';
import type { IngestState } from '../ingest/types';
import { connectionWord, headline, isActive, isLive } from '../lib/broadcast';
import { formatDuration } from '../lib/format';
import { useNow } from '../hooks/useNow';

interface Props {
  state: IngestState;
  openRef: RefObject<HTMLButtonElement | null>;
  onOpen: () => void;
  onStop: () => void;
  onDismiss: () => void;
}

/** The Go Live dialog, shrunk: the broadcast goes on while the creator uses the rest of the app. */
export function LiveBar({ state, openRef, onOpen, onStop, onDismiss }: Props) {
  const active = isActive(state);
  const live = isLive(state);
  const now = useNow(1000, active);

  // Room at the bottom of the page, so the bar never hides the last controls.
  useEffect(() => {
    document.body.classList.add('has-live-bar');
    return () => document.body.classList.remove('has-live-bar');
  }, []);

  const title = live ? "You're live" : active ? headline(state) : 'Your stream has stopped';
  const connection = connectionWord(state);

  return (
    <section className={`live-bar${live ? ' is-live' : ''}`} aria-label="Your broadcast">
      <p className="live-bar-text">
        <span className="live-bar-dot" aria-hidden="true" />
        <strong role="status">{title}</strong>
        {state.startedAt && active && (
          <span className="live-bar-meta">
            {formatDuration((now - state.startedAt) / 1000)}
            {connection === 'Good' || connection === 'Poor'
              ? ` · Connection ${connection.toLowerCase()}`
              : ''}
          </span>
        )}
      </p>
      {!active && state.error && <p className="live-bar-error">{state.error}</p>}
      <div className="live-bar-actions">
        <button ref={openRef} type="button" className="btn btn-secondary" onClick={onOpen}>
          {active ? 'Back to stream' : 'Open'}
        </button>
        {active ? (
          <button
            type="button"
            className="btn btn-live"
            onClick={onStop}
            aria-busy={state.phase === 'stopping' || undefined}
          >
            Stop Streaming
          </button>
        ) : (
          <button type="button" className="btn btn-secondary" onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </div>
    </section>
  );
}
