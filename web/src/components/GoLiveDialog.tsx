import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { RefObject } from 'react';
import type { CreatedStream } from '../api';
import { useAuthState } from '../auth/context';
import { useBeforeUnload } from '../hooks/useBeforeUnload';
import { useIngest } from '../hooks/useIngest';
import { useMediaPreview } from '../hooks/useMediaPreview';
import { isPublishing, useStreamState } from '../hooks/useStreamState';
import { chooseMimeType } from '../ingest/policy';
import { isActive, isLive } from '../lib/broadcast';
import { useRoom } from '../room/useRoom';
import { CameraProblem } from './CameraProblem';
import { ChatPanel, ViewerCount } from './ChatPanel';
import { DevicePicker } from './DevicePicker';
import { captureUnavailable, InsecureContextNotice } from './InsecureContextNotice';
import { LiveBar } from './LiveBar';
import { StreamDetails, StreamStatus } from './StreamStatus';
import { RestreamStates } from './RestreamStates';
import { UplinkIndicator } from './UplinkIndicator';
import { useModalDialog } from './useModalDialog';

interface Props {
  stream: CreatedStream;
  handle: string;
  /** Ends the session (only offered when not broadcasting). */
  onClose: () => void;
  /** Changes when the dashboard asks to bring a shrunk session back. */
  expandSignal: number;
  returnFocus: RefObject<HTMLElement | null>;
  /** Tells the app whether a broadcast runs (sign-out asks first then). */
  onBroadcastingChange: (active: boolean) => void;
}

/**
 * Camera preview, device pickers and the ingest controls. While a broadcast runs, Escape and ×
 * shrink the dialog into the "You're live" bar (the broadcast goes on); leaving the page asks first.
 * Unmounting stops everything.
 */
export function GoLiveDialog({
  stream,
  handle,
  onClose,
  expandSignal,
  returnFocus,
  onBroadcastingChange,
}: Props) {
  const { getToken } = useAuthState();
  const titleId = useId();
  const [expanded, setExpanded] = useState(true);
  const barFocus = useRef<HTMLButtonElement>(null);
  const preview = useMediaPreview();
  const recordable = useMemo(
    () => chooseMimeType(typeof MediaRecorder === 'undefined' ? undefined : MediaRecorder),
    [],
  );
  const mimeType = recordable.ok ? recordable.mimeType : null;
  const ingest = useIngest({ ingestPath: stream.ingestPath, mimeType, media: preview.media, getToken });
  const { phase } = ingest.state;
  const active = isActive(ingest.state);
  const live = isLive(ingest.state);
  // The creator's own room while broadcasting: viewer count and chat, with Delete / Ban.
  const room = useRoom(handle, active);

  const requestClose = () => (active ? setExpanded(false) : onClose());
  const { ref, onCancel, onKeyDown } = useModalDialog(requestClose, returnFocus, expanded, barFocus);
  useBeforeUnload(active);
  useEffect(() => onBroadcastingChange(active), [active, onBroadcastingChange]);

  // The dashboard's Go Live button brings a shrunk session back.
  const firstSignal = useRef(expandSignal);
  useEffect(() => {
    if (expandSignal !== firstSignal.current) setExpanded(true);
  }, [expandSignal]);

  // Stopped from the bar: the session is over.
  useEffect(() => {
    if (!expanded && phase === 'stopped') onClose();
  }, [expanded, phase, onClose]);

  // Before Start: is this stream already being published from another tab or device?
  const server = useStreamState(
    stream.id,
    { status: stream.status, isLive: stream.isLive },
    phase === 'idle' || phase === 'failed',
  );
  const elsewhere = (phase === 'idle' || phase === 'failed') && isPublishing(server);

  const videoRef = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const v = videoRef.current;
    if (!v) return;
    v.srcObject = preview.media;
    if (preview.media) void v.play().catch(() => {});
  }, [preview.media]);

  // Focus follows the main action: Stop once started, Start again once stopped.
  const startRef = useRef<HTMLButtonElement>(null);
  const stopRef = useRef<HTMLButtonElement>(null);
  const wasActive = useRef(active);
  useLayoutEffect(() => {
    if (active === wasActive.current) return;
    wasActive.current = active;
    if (!expanded) return;
    const lost = !document.activeElement || document.activeElement === document.body;
    if (active) stopRef.current?.focus();
    else if (lost || document.activeElement === stopRef.current) startRef.current?.focus();
  }, [active, expanded]);

  const canStart = !!preview.media && !!mimeType && !active;

  return (
    <>
      <dialog
        ref={ref}
        className="golive"
        aria-labelledby={titleId}
        onCancel={onCancel}
        onKeyDown={onKeyDown}
      >
        <div className="golive-head">
          <h2 id={titleId}>
            {live ? (
              <>
                <span className="eyebrow">Go Live</span> <span>You're live</span>
              </>
            ) : (
              'Go Live'
            )}
          </h2>
          <button
            type="button"
            className="icon-btn"
            aria-label={active ? 'Hide (keep streaming)' : 'Close'}
            title={active ? 'Hide — you stay live' : 'Close'}
            onClick={requestClose}
          >
            ×
          </button>
        </div>

        <div className="golive-body">
          <div className="preview">
            <video
              ref={videoRef}
              className="preview-video"
              muted
              autoPlay
              playsInline
              aria-label="Camera preview"
            />
            {!preview.media && !preview.error && <p className="preview-note">Opening camera…</p>}
            {preview.error && !captureUnavailable() && (
              <CameraProblem problem={preview.problem} error={preview.error} onRetry={preview.retry} />
            )}
          </div>

          <div className="golive-side">
            <InsecureContextNotice />
            {elsewhere && (
              <p className="notice" role="status">
                <strong>You're live in another tab</strong> or on another device. Stop streaming there before
                you start here.
              </p>
            )}
            {!recordable.ok && (
              <p className="error" role="alert">
                {recordable.message}
              </p>
            )}

            {preview.media && (
              <>
                <DevicePicker
                  label="Camera"
                  options={preview.cameras}
                  value={preview.cameraId}
                  onChange={preview.selectCamera}
                  disabled={active}
                />
                <DevicePicker
                  label="Microphone"
                  options={preview.microphones}
                  value={preview.microphoneId}
                  onChange={preview.selectMicrophone}
                  disabled={active}
                />
              </>
            )}

            <StreamStatus state={ingest.state} />
            {active && room.snapshot.status === 'joined' && (
              <p className="golive-viewers">
                <ViewerCount count={room.snapshot.viewers} />
              </p>
            )}
            <UplinkIndicator state={ingest.state} />
            <RestreamStates state={ingest.state} />
            <StreamDetails state={ingest.state} mimeType={mimeType} />

            <div className="golive-actions">
              {active ? (
                <>
                  <button
                    ref={stopRef}
                    key="stop"
                    type="button"
                    className="btn btn-live"
                    onClick={() => phase !== 'stopping' && ingest.stop()}
                    aria-busy={phase === 'stopping' || undefined}
                  >
                    Stop Streaming
                  </button>
                  <button ref={startRef} key="start" type="button" className="btn btn-secondary" disabled>
                    Start Streaming
                  </button>
                </>
              ) : (
                <>
                  <button
                    ref={startRef}
                    key="start"
                    type="button"
                    className={`btn ${elsewhere ? 'btn-secondary' : 'btn-live'}`}
                    onClick={ingest.start}
                    disabled={!canStart}
                  >
                    Start Streaming
                  </button>
                  <button ref={stopRef} key="stop" type="button" className="btn btn-secondary" disabled>
                    Stop Streaming
                  </button>
                </>
              )}
            </div>
            {active && (
              <p className="hint">Closing this window keeps you live; Stop Streaming ends the broadcast.</p>
            )}
            <p className="muted small">
              Viewers watch at{' '}
              <a className="tap-link" href={`/c/${handle}`} target="_blank" rel="noreferrer">
                {window.location.host}/c/{handle}
              </a>
            </p>
          </div>
          {active && (
            <ChatPanel
              client={room.client}
              room={room.snapshot}
              returnTo="/dashboard"
              level={3}
              className="golive-chat"
            />
          )}
        </div>
      </dialog>
      {!expanded && (
        <LiveBar
          state={ingest.state}
          openRef={barFocus}
          onOpen={() => setExpanded(true)}
          onStop={() => phase !== 'stopping' && ingest.stop()}
          onDismiss={onClose}
        />
      )}
    </>
  );
}
