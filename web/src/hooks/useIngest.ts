import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
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

const noClient = () => () => {};
const idle = (): IngestState => initialIngestState;

/**
 * React face of IngestClient: a fresh client per Start, its state read with useSyncExternalStore
 * (the client's own getState/subscribe); the client is disposed when replaced and on unmount.
 */
export function useIngest({ ingestPath, mimeType, media, getToken }: Options) {
  const [client, setClient] = useState<IngestClient | null>(null);
  const state = useSyncExternalStore(client?.subscribe ?? noClient, client?.getState ?? idle);

  useEffect(() => () => client?.dispose(), [client]);

  const start = useCallback(() => {
    if (!media || !mimeType) return;
    client?.dispose(); // the old one stops before the new one connects
    const next = new IngestClient({
      url: ingestUrl(ingestPath, window.location),
      mimeType,
      media,
      getToken,
      scaleMedia,
      log: (msg) => console.debug(msg),
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      createRecorder: (stream, options) => new MediaRecorder(stream, options) as unknown as RecorderLike,
    });
    setClient(next);
    next.start();
  }, [client, ingestPath, mimeType, media, getToken]);

  const stop = useCallback(() => client?.stop(), [client]);

  return { state, start, stop };
}
