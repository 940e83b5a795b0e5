import type { IngestState } from '../ingest/types';
import { restreamLine } from '../lib/restream';

/**
 * Each restream target's state while streaming: "YouTube: live", "Twitch: failed — …" (local mode:
 * from FFmpeg; Mux mode: from Mux's simulcast target webhooks).
 */
export function RestreamStates({ state }: { state: IngestState }) {
  const targets = state.pipeline?.restream;
  if (!targets?.length) return null;
  return (
    <div className="restream-states">
      <h3 className="restream-states-title">Restream</h3>
      <ul role="status" aria-label="Restream targets">
        {targets.map((t) => (
          <li key={t.id} className={`restream-state restream-${t.state}`}>
            {restreamLine(t)}
          </li>
        ))}
      </ul>
    </div>
  );
}
