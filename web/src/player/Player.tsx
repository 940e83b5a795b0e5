import { lazy, Suspense, useCallback, useState } from 'react';
import { UnmuteOverlay } from './UnmuteOverlay';
import { useConfig } from '../lib/config';
import { HlsVideo } from './HlsVideo';

// mux-player is large: only deployments on Mux fetch it.
const MuxPlayer = lazy(() => import('@mux/mux-player-react'));

interface Props {
  playbackId?: string | null;
  playbackUrl?: string | null;
  live: boolean;
  title: string;
  /** A JPEG shown before playback (issue 12). */
  poster?: string | null;
}

/** Mux Player for Mux playback ids; hls.js into a plain <video> for the local provider. */
export function Player({ playbackId, playbackUrl, live, title, poster }: Props) {
  const { mediaProvider } = useConfig();
  const [muxEl, setMuxEl] = useState<(HTMLElement & { muted: boolean }) | null>(null);
  const attachMux = useCallback(
    (el: unknown) => setMuxEl(el as (HTMLElement & { muted: boolean }) | null),
    [],
  );
  if (mediaProvider === 'mux' && playbackId) {
    return (
      <div className="player">
        <Suspense fallback={<div className="player-placeholder">Loading player…</div>}>
          <MuxPlayer
            ref={attachMux}
            playbackId={playbackId}
            streamType={live ? 'live' : 'on-demand'}
            title={title}
            metadata={{ video_title: title }}
            accentColor="#cc2f36"
            {...(poster ? { poster } : {})}
            autoPlay={live ? 'muted' : undefined}
            className="player-video"
          />
        </Suspense>
        {live && <UnmuteOverlay target={muxEl} />}
      </div>
    );
  }
  if (playbackUrl) return <HlsVideo src={playbackUrl} live={live} title={title} poster={poster} />;
  return (
    <div className="player-placeholder" role="status">
      {live ? 'Waiting for the stream…' : 'The video is still processing.'}
    </div>
  );
}
