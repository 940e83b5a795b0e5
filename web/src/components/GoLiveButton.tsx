import { useRef, useState } from 'react';
import type { CreatedStream } from '../api';
import { useApi } from '../auth/context';
import { ErrorMessage } from './ErrorMessage';
import { GoLiveDialog } from './GoLiveDialog';

/** "Go Live": creates a stream (POST /stream/create), then opens the Go Live dialog. */
export function GoLiveButton({ handle }: { handle: string }) {
  const api = useApi();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const [stream, setStream] = useState<CreatedStream | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      setStream(await api.createStream());
    } catch (e) {
      setError(`Could not create a stream: ${(e as Error).message}`);
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
        disabled={busy}
        aria-haspopup="dialog"
      >
        <span className="live-dot" aria-hidden="true" />
        Go Live
      </button>
      <ErrorMessage error={error} />
      {stream && (
        <GoLiveDialog stream={stream} handle={handle} onClose={() => setStream(null)} returnFocus={buttonRef} />
      )}
    </div>
  );
}
