import type { IngestState } from '../ingest/types';
import { connectionWord, headline, isLive, socketDetail } from '../lib/broadcast';
import { formatBitrate, formatDuration } from '../lib/format';
import { useNow } from '../hooks/useNow';
import { LiveBadge } from './LiveBadge';

/**
 * What the creator needs while broadcasting, in their words: live or not, for how long, how well.
 * The technical side (format, server pipeline, close codes) sits behind "Details" (StreamDetails).
 */
export function StreamStatus({ state }: { state: IngestState }) {
  const running = state.phase === 'streaming' || state.phase === 'reconnecting';
  const now = useNow(1000, running || state.phase === 'connecting');
  const live = isLive(state);
  const p = state.pipeline;
  const connection = connectionWord(state);

  return (
    <div className="stream-status">
      <div className="status-line" role="status" aria-live="polite">
        {live ? (
          <>
            <LiveBadge />
            <span className="status-words">You're live</span>
          </>
        ) : (
          <span className="status-chip">{headline(state)}</span>
        )}
      </div>
      <dl className="stats">
        <div>
          <dt>Time live</dt>
          <dd>{state.startedAt && running ? formatDuration((now - state.startedAt) / 1000) : '–'}</dd>
        </div>
        <div>
          <dt>Connection</dt>
          <dd
            className={connection === 'Poor' ? 'conn-poor' : connection === 'Good' ? 'conn-good' : undefined}
          >
            {connection}
          </dd>
        </div>
      </dl>
      {p?.congested && (
        <p className="warning" role="status">
          Your connection is struggling: viewers may miss a few seconds of video.
        </p>
      )}
      {state.notice && (
        <p className="warning" role="status">
          {state.notice}
        </p>
      )}
      {state.error && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
    </div>
  );
}

/** The technical side, for whoever asks: the socket, the server's reason, the pipeline, the format. */
export function StreamDetails({ state, mimeType }: { state: IngestState; mimeType: string | null }) {
  const p = state.pipeline;
  return (
    <details className="details">
      <summary>Details</summary>
      <dl className="detail-list">
        <div>
          <dt>Connection to the server</dt>
          <dd>{socketDetail(state)}</dd>
        </div>
        {state.lastClose?.reason && (
          <div>
            <dt>Server's reason</dt>
            <dd>{state.lastClose.reason}</dd>
          </div>
        )}
        <div>
          <dt>Video pipeline</dt>
          <dd>
            {p?.state ?? '–'}
            {p?.restarts ? ` · ${p.restarts} restart${p.restarts > 1 ? 's' : ''}` : ''}
            {p?.droppedClusters ? ` · ${p.droppedClusters} dropped` : ''}
          </dd>
        </div>
        <div>
          <dt>Bitrate</dt>
          <dd>
            {state.phase === 'streaming' && state.bitrateBps > 0 ? formatBitrate(state.bitrateBps) : '–'}
          </dd>
        </div>
        <div>
          <dt>Format</dt>
          <dd>
            {mimeType ?? 'none'}
            {state.video ? ` (server ${state.video === 'copy' ? 'copies' : 'transcodes'} the video)` : ''}
          </dd>
        </div>
      </dl>
    </details>
  );
}
