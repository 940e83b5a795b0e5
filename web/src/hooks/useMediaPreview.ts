import { useCallback, useEffect, useRef, useState } from 'react';

export interface DeviceOption {
  deviceId: string;
  label: string;
}

export type MediaProblem = 'denied' | 'missing' | 'busy' | 'unavailable' | 'other';

interface Preview {
  media: MediaStream | null;
  error: string | null;
  /** What kind of problem `error` describes. */
  problem: MediaProblem | null;
  cameras: DeviceOption[];
  microphones: DeviceOption[];
  cameraId: string;
  microphoneId: string;
  selectCamera: (id: string) => void;
  selectMicrophone: (id: string) => void;
  retry: () => void;
}

/** The kind of getUserMedia failure. */
export function mediaProblem(e: unknown): MediaProblem {
  switch ((e as { name?: string })?.name ?? '') {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
      return 'missing';
    case 'NotReadableError':
    case 'TrackStartError':
      return 'busy';
    case 'OverconstrainedError':
      return 'unavailable';
    default:
      return 'other';
  }
}

/** Why getUserMedia failed, in words a creator can act on. */
export function describeMediaError(e: unknown): string {
  const name = (e as { name?: string })?.name ?? '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'Camera or microphone access was denied. Allow both for this site in your browser settings, then press Try again.';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
      return 'No camera or microphone was found. Connect one, then press Try again.';
    case 'NotReadableError':
    case 'TrackStartError':
      return 'The camera or microphone is busy or unavailable (another app may be using it).';
    case 'OverconstrainedError':
      return 'The selected camera or microphone is not available any more. Pick another one.';
    default:
      return `Could not open the camera or microphone: ${(e as Error)?.message || String(e)}`;
  }
}

const UNAVAILABLE = 'Camera access needs a secure page (HTTPS or localhost) in a browser that supports it.';

/** What the user asked for; `n` counts the attempts, so asking again for the same opens again. */
interface Wanted {
  camera?: string;
  microphone?: string;
  n: number;
}

const VIDEO = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };

function options(devices: MediaDeviceInfo[], kind: MediaDeviceKind, noun: string): DeviceOption[] {
  return devices
    .filter((d) => d.kind === kind && d.deviceId)
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${noun} ${i + 1}` }));
}

/** Camera + microphone preview with device pickers; every track is stopped on change and unmount. */
export function useMediaPreview(): Preview {
  const [media, setMedia] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<MediaProblem | null>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  // What the user asked for (drives getUserMedia) and what is actually open (drives the selects).
  const [wanted, setWanted] = useState<Wanted>({ n: 0 });
  const [active, setActive] = useState({ camera: '', microphone: '' });
  const mediaRef = useRef<MediaStream | null>(null);

  // No camera API at all (an insecure page, an old browser): nothing to ask for.
  const supported = !!navigator.mediaDevices?.getUserMedia;

  useEffect(() => {
    const md = navigator.mediaDevices;
    if (!md?.getUserMedia) return;
    let cancelled = false;
    md.getUserMedia({
      video: wanted.camera ? { ...VIDEO, deviceId: { exact: wanted.camera } } : VIDEO,
      audio: wanted.microphone ? { deviceId: { exact: wanted.microphone } } : true,
    }).then(
      async (stream) => {
        if (cancelled) {
          stream.getTracks().forEach((t) => t.stop());
          return;
        }
        mediaRef.current = stream;
        setMedia(stream);
        setActive({
          camera: stream.getVideoTracks()[0]?.getSettings().deviceId ?? '',
          microphone: stream.getAudioTracks()[0]?.getSettings().deviceId ?? '',
        });
        // Labels are only readable once permission is granted.
        const list = await md.enumerateDevices().catch(() => []);
        if (!cancelled) setDevices(list);
      },
      (e: unknown) => {
        if (cancelled) return;
        setError(describeMediaError(e));
        setProblem(mediaProblem(e));
      },
    );
    return () => {
      cancelled = true;
      mediaRef.current?.getTracks().forEach((t) => t.stop());
      mediaRef.current = null;
      setMedia(null);
    };
  }, [wanted]);

  useEffect(() => {
    const md = navigator.mediaDevices;
    if (!md?.addEventListener) return;
    const onChange = () => void md.enumerateDevices().then(setDevices, () => {});
    md.addEventListener('devicechange', onChange);
    return () => md.removeEventListener('devicechange', onChange);
  }, []);

  // Every new attempt starts without the last one's error.
  const ask = useCallback((next: (w: Wanted) => Wanted) => {
    setError(null);
    setProblem(null);
    setWanted((w) => ({ ...next(w), n: w.n + 1 }));
  }, []);
  const selectCamera = useCallback(
    (id: string) => ask((w) => ({ ...w, camera: id, microphone: w.microphone ?? active.microphone })),
    [ask, active.microphone],
  );
  const selectMicrophone = useCallback(
    (id: string) => ask((w) => ({ ...w, microphone: id, camera: w.camera ?? active.camera })),
    [ask, active.camera],
  );
  const retry = useCallback(() => ask((w) => w), [ask]);

  return {
    media,
    error: supported ? error : UNAVAILABLE,
    problem: supported ? problem : 'unavailable',
    cameras: options(devices, 'videoinput', 'Camera'),
    microphones: options(devices, 'audioinput', 'Microphone'),
    cameraId: active.camera,
    microphoneId: active.microphone,
    selectCamera,
    selectMicrophone,
    retry,
  };
}
