import { useCallback, useEffect, useRef, useState } from 'react';
import { IngestClient } from '../ingest/IngestClient';
import { ingestUrl } from '../ingest/policy';
import { scaleMedia } from '../ingest/scale-media';
import { initialIngestState } from '../ingest/types';
import type { IngestState, RecorderLike, SocketLike } from '../ingest/types';

interface Options {
  ingestPath: string;
  mimeType: string | null;
  media: MediaStream | null;
  getToken: () => Promise<string | null>;
}

/** React face of IngestClient: a fresh client per Start, disposed on unmount. */
export function useIngest({ ingestPath, mimeType, media, getToken }: Options) {
  const [state, setState] = useState<IngestState>(initialIngestState);
  const clientRef = useRef<IngestClient | null>(null);

  const start = useCallback(() => {
    if (!media || !mimeType) return;
    clientRef.current?.dispose();
    const client = new IngestClient({
      url: ingestUrl(ingestPath, window.location),
      mimeType,
      media,
      getToken,
      scaleMedia,
      log: (msg) => console.debug(msg),
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      createRecorder: (stream, options) => new MediaRecorder(stream, options) as unknown as RecorderLike,
    });
    client.subscribe(setState);
    clientRef.current = client;
    client.start();
  }, [ingestPath, mimeType, media, getToken]);

  const stop = useCallback(() => clientRef.current?.stop(), []);

  useEffect(
    () => () => {
      clientRef.current?.dispose();
      clientRef.current = null;
    },
    [],
  );

  return { state, start, stop };
}
