import { useEffect, useState } from 'react';

/** Anything with a `muted` flag that fires `volumechange`: a <video> or a <mux-player>. */
type Muteable = HTMLElement & { muted: boolean; play?: () => Promise<void> };

/**
 * Live players start muted (browsers only autoplay silently): a large "Tap to unmute" button over the
 * player says so, and goes away once the sound is on (here or through the player's own controls).
 */
export function UnmuteOverlay({ target }: { target: Muteable | null }) {
  const [muted, setMuted] = useState(false);
  useEffect(() => {
    if (!target) return;
    const sync = () => setMuted(!!target.muted);
    sync();
    target.addEventListener('volumechange', sync);
    // mux-player sets `muted` once its media is attached.
    target.addEventListener('loadedmetadata', sync);
    return () => {
      target.removeEventListener('volumechange', sync);
      target.removeEventListener('loadedmetadata', sync);
    };
  }, [target]);

  if (!target || !muted) return null;
  return (
    <button
      type="button"
      className="unmute-overlay"
      onClick={() => {
        unmute(target);
        setMuted(false);
      }}
    >
      <span aria-hidden="true">🔇</span> Tap to unmute
    </button>
  );
}

/** Sound on, and playing (a browser may have paused a muted autoplay). */
function unmute(media: Muteable): void {
  media.muted = false;
  void media.play?.()?.catch(() => undefined);
}
