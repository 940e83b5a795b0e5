import { useEffect, useId, useMemo, useRef } from 'react';
import type { RefObject } from 'react';
import type { CreatedStream } from '../api';
import { useAuthState } from '../auth/context';
import { useIngest } from '../hooks/useIngest';
import { useMediaPreview } from '../hooks/useMediaPreview';
import { chooseMimeType } from '../ingest/policy';
import { DevicePicker } from './DevicePicker';
import { StreamStatus } from './StreamStatus';
import { useModalDialog } from './useModalDialog';

interface Props {
  stream: CreatedStream;
  handle: string;
  onClose: () => void;
  returnFocus: RefObject<HTMLElement | null>;
}

const ACTIVE_PHASES = new Set(['connecting', 'streaming', 'reconnecting', 'stopping']);

/** Camera preview, device pickers and the ingest controls. Unmounting stops everything. */
export function GoLiveDialog({ stream, handle, onClose, returnFocus }: Props) {
  const { getToken } = useAuthState();
  const titleId = useId();
  const { ref, onCancel, onKeyDown } = useModalDialog(onClose, returnFocus);
  const preview = useMediaPreview();
  const recordable = useMemo(
    () => chooseMimeType(typeof MediaRecorder === 'undefined' ? undefined : MediaRecorder),
    [],
  );
  const mimeType = recordable.ok ? recordable.mimeType : null;
  const ingest = useIngest({ ingestPath: stream.ingestPath, mimeType, media: preview.media, getToken });
  const { phase } = ingest.state;
  const active = ACTIVE_PHASES.has(phase);

  const videoRef = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const v = videoRef.current;
    if (!v) return;
    v.srcObject = preview.media;
    if (preview.media) void v.play().catch(() => {});
  }, [preview.media]);

  const canStart = !!preview.media && !!mimeType && !active;

  return (
    <dialog ref={ref} className="golive" aria-labelledby={titleId} onCancel={onCancel} onKeyDown={onKeyDown}>
      <div className="golive-head">
        <h2 id={titleId}>Go Live</h2>
        <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>

      <div className="golive-body">
        <div className="preview">
          <video ref={videoRef} className="preview-video" muted autoPlay playsInline aria-label="Camera preview" />
          {!preview.media && !preview.error && <p className="preview-note">Opening camera…</p>}
        </div>

        <div className="golive-side">
          {preview.error && (
            <div className="error" role="alert">
              <p>{preview.error}</p>
              <button type="button" className="btn btn-secondary" onClick={preview.retry}>
                Try again
              </button>
            </div>
          )}
          {!recordable.ok && (
            <p className="error" role="alert">
              {recordable.message}
            </p>
          )}

          <DevicePicker
            label="Camera"
            options={preview.cameras}
            value={preview.cameraId}
            onChange={preview.selectCamera}
            disabled={active || !preview.media}
          />
          <DevicePicker
            label="Microphone"
            options={preview.microphones}
            value={preview.microphoneId}
            onChange={preview.selectMicrophone}
            disabled={active || !preview.media}
          />

          <StreamStatus state={ingest.state} mimeType={mimeType} />

          <div className="golive-actions">
            <button type="button" className="btn btn-live" onClick={ingest.start} disabled={!canStart}>
              Start Streaming
            </button>
            <button
              type="button"
              className="btn btn-secondary"
              onClick={ingest.stop}
              disabled={!active || phase === 'stopping'}
            >
              Stop Streaming
            </button>
          </div>
          <p className="muted small">
            Viewers watch at{' '}
            <a href={`/c/${handle}`} target="_blank" rel="noreferrer">
              {window.location.host}/c/{handle}
            </a>
          </p>
        </div>
      </div>
    </dialog>
  );
}
