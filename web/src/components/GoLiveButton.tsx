import { useEffect, useRef, useState } from 'react';
import { useApi } from '../auth/context';
import { ErrorMessage } from './ErrorMessage';
import { useGoLive } from './GoLiveContext';

/** "Go Live": creates a stream (POST /stream/create), then opens the Go Live dialog. */
export function GoLiveButton({ handle }: { handle: string }) {
  const api = useApi();
  const golive = useGoLive();
  // This button is where focus returns when the Go Live dialog closes.
  const buttonRef = useRef<HTMLButtonElement>(null);
  const { setReturnFocus } = golive;
  useEffect(() => {
    setReturnFocus(buttonRef.current);
    return () => setReturnFocus(null);
  }, [setReturnFocus]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const open = async () => {
    if (busy) return;
    if (golive.session) {
      golive.expand(); // already live (shrunk into the bar): back to the dialog
      return;
    }
    setBusy(true);
    setError(null);
    try {
      golive.open(await api.createStream(), handle);
    } catch (e) {
      setError(`Could not prepare your stream: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="go-live">
      <button
        ref={buttonRef}
        type="button"
        className="btn btn-live"
        onClick={() => void open()}
        aria-busy={busy || undefined}
        aria-haspopup="dialog"
      >
        <span className="live-dot" aria-hidden="true" />
        Go Live
      </button>
      <ErrorMessage error={error} />
    </div>
  );
}
