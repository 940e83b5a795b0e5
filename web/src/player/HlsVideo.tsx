import { useCallback, useEffect, useRef, useState } from 'react';
import { UnmuteOverlay } from './UnmuteOverlay';

interface Props {
  src: string;
  live: boolean;
  title: string;
  poster?: string | null;
}

const RETRY_MS = 3000;

/**
 * Plays an HLS playlist served by the app (local media provider) in a plain <video controls>:
 * hls.js where Media Source Extensions exist, the browser's own HLS otherwise (Safari, iOS).
 * A live playlist may not exist yet when the stream turns live, so network errors are retried.
 */
export function HlsVideo({ src, live, title, poster }: Props) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const attach = useCallback((el: HTMLVideoElement | null) => {
    videoRef.current = el;
    setVideo(el);
  }, []);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    let disposed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let destroy = () => {};
    setError(null);

    void import('hls.js/light').then(({ default: Hls }) => {
      if (disposed) return;
      if (Hls.isSupported()) {
        const hls = new Hls({ liveDurationInfinity: true, manifestLoadingMaxRetry: 4 });
        destroy = () => hls.destroy();
        hls.on(Hls.Events.ERROR, (_event, data) => {
          if (!data.fatal) return;
          if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
            hls.recoverMediaError();
          } else if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
            if (!live) setError('The video could not be loaded. Retrying…');
            retry = setTimeout(() => {
              if (disposed) return;
              hls.loadSource(src);
              hls.startLoad();
            }, RETRY_MS);
          } else {
            setError('This video cannot be played.');
            hls.destroy();
          }
        });
        hls.on(Hls.Events.MANIFEST_PARSED, () => {
          setError(null);
          if (live) void video.play().catch(() => {});
        });
        hls.loadSource(src);
        hls.attachMedia(video);
      } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
        video.src = src;
        destroy = () => {
          video.removeAttribute('src');
          video.load();
        };
      } else {
        setError('This browser cannot play HLS video.');
      }
    });

    return () => {
      disposed = true;
      clearTimeout(retry);
      destroy();
    };
  }, [src, live]);

  return (
    <div className="player">
      <video
        ref={attach}
        className="player-video"
        controls
        playsInline
        preload="metadata"
        poster={poster ?? undefined}
        muted={live}
        autoPlay={live}
        aria-label={title}
        data-playback-url={src}
      />
      {live && <UnmuteOverlay target={video} />}
      {error && (
        <p className="player-note" role="status">
          {error}
        </p>
      )}
    </div>
  );
}
