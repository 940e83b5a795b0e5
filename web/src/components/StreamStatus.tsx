import type { IngestState } from '../ingest/types';
import { formatBitrate, formatDuration } from '../lib/format';
import { useNow } from '../hooks/useNow';
import { LiveBadge } from './LiveBadge';

/** What the creator needs to know while broadcasting: live or not, for how long, how well. */
export function StreamStatus({ state, mimeType }: { state: IngestState; mimeType: string | null }) {
  const running = state.phase === 'streaming' || state.phase === 'reconnecting';
  const now = useNow(1000, running || state.phase === 'connecting');
  const isLive = state.phase === 'streaming' && !!state.stream?.isLive;
  const p = state.pipeline;

  return (
    <div className="stream-status">
      <div className="status-line" role="status" aria-live="polite">
        {isLive ? <LiveBadge /> : <span className="status-chip">{headline(state, now)}</span>}
      </div>
      <dl className="stats">
        <div>
          <dt>Elapsed</dt>
          <dd>{state.startedAt && running ? formatDuration((now - state.startedAt) / 1000) : '–'}</dd>
        </div>
        <div>
          <dt>Bitrate</dt>
          <dd>{state.phase === 'streaming' && state.bitrateBps > 0 ? formatBitrate(state.bitrateBps) : '–'}</dd>
        </div>
        <div>
          <dt>Connection</dt>
          <dd>{connection(state)}</dd>
        </div>
        <div>
          <dt>Server</dt>
          <dd>
            {p?.state ?? '–'}
            {p?.restarts ? ` · ${p.restarts} restart${p.restarts > 1 ? 's' : ''}` : ''}
          </dd>
        </div>
      </dl>
      <p className="muted small">
        Format: {mimeType ?? 'none'}
        {state.video ? ` (server ${state.video === 'copy' ? 'copies' : 'transcodes'} the video)` : ''}
      </p>
      {p?.congested && (
        <p className="warning" role="status">
          Network congested: the server is skipping video to catch up
          {p.droppedClusters ? ` (${p.droppedClusters} dropped)` : ''}.
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

function headline(state: IngestState, now: number): string {
  switch (state.phase) {
    case 'idle':
      return 'Not streaming yet';
    case 'connecting':
      return 'Connecting…';
    case 'streaming':
      return state.pipeline?.state === 'restarting' ? 'Restarting…' : 'Starting…';
    case 'reconnecting': {
      const s = state.retryAt ? Math.max(0, Math.ceil((state.retryAt - now) / 1000)) : 0;
      return `Reconnecting${s ? ` in ${s} s` : '…'}`;
    }
    case 'stopping':
      return 'Stopping…';
    case 'stopped':
      return 'Stream stopped';
    case 'failed':
      return 'Not streaming';
  }
}

function connection(state: IngestState): string {
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
