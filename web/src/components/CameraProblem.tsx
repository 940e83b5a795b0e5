import type { MediaProblem } from '../hooks/useMediaPreview';

const TITLES: Record<MediaProblem, string> = {
  denied: 'Permission needed',
  missing: 'No camera found',
  busy: 'Camera busy',
  unavailable: 'Camera unavailable',
  other: 'Camera unavailable',
};

/** Shown inside the preview when the camera or microphone cannot be opened: what happened, what to do. */
export function CameraProblem({
  problem,
  error,
  onRetry,
}: {
  problem: MediaProblem | null;
  error: string;
  onRetry: () => void;
}) {
  const kind = problem ?? 'other';
  return (
    <div className="camera-problem">
      <h3>{TITLES[kind]}</h3>
      <p role="alert">{error}</p>
      {kind === 'denied' && (
        <ol className="guidance">
          <li>Click the camera or lock icon at the left of the address bar.</li>
          <li>Set Camera and Microphone to Allow for this site.</li>
          <li>Press Try again (or reload the page).</li>
        </ol>
      )}
      <button type="button" className="btn btn-primary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
