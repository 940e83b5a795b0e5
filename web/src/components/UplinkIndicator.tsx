import { useEffect, useState } from 'react';
import type { IngestState } from '../ingest/types';

/** How long "connection recovered" stays up after the quality went back up. */
const RECOVERED_FOR_MS = 15_000;

/**
 * The creator's uplink while streaming (issue 13): the quality being sent, the delay to the server and
 * the upload rate the server acknowledges; a notice while the connection is weak (the quality was
 * lowered or media is piling up) and when it recovers.
 */
export function UplinkIndicator({ state }: { state: IngestState }) {
  const { quality, delayMs, throughputKbps, weak } = state.uplink;
  const active = state.phase === 'streaming' || state.phase === 'reconnecting' || state.phase === 'stopping';
  // Weak → not weak: "recovered" for a while (adjusted while rendering; the effect only ends it).
  const [lastWeak, setLastWeak] = useState(weak);
  const [recovered, setRecovered] = useState(false);
  if (weak !== lastWeak) {
    setLastWeak(weak);
    setRecovered(!weak);
  }
  useEffect(() => {
    if (!recovered) return;
    const t = setTimeout(() => setRecovered(false), RECOVERED_FOR_MS);
    return () => clearTimeout(t);
  }, [recovered]);

  if (!active || !quality) return null;
  return (
    <section className="uplink" aria-label="Uplink">
      <dl className="stats">
        <div>
          <dt>Quality</dt>
          <dd>{quality}</dd>
        </div>
        <div>
          <dt>Delay to server</dt>
          <dd>{delayMs === null ? '–' : `${(delayMs / 1000).toFixed(1)} s`}</dd>
        </div>
        <div>
          <dt>Upload</dt>
          <dd>{throughputKbps === null ? '–' : `${throughputKbps} kbit/s`}</dd>
        </div>
      </dl>
      {weak && (
        <p className="warning" role="status">
          Weak connection: streaming at {quality} to keep the delay short.
        </p>
      )}
      {!weak && recovered && (
        <p className="notice" role="status">
          Connection recovered: quality back up to {quality}.
        </p>
      )}
    </section>
  );
}
