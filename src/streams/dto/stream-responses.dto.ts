/** A live stream as everyone sees it. */
export class PublicStream {
  id!: string;
  title!: string;
  status!: 'IDLE' | 'CONNECTED' | 'ACTIVE' | 'DISCONNECTED' | 'ENDED';
  isLive!: boolean;
  playbackId!: string | null;
  playbackUrl!: string | null;
  startedAt!: Date | null;
  endedAt!: Date | null;
}

/** What the creator sees: the stream, its secret key and where to publish with it. */
export class OwnedStream extends PublicStream {
  streamKey!: string;
  /** The WebSocket path to publish to. */
  ingestPath!: string;
}

/** GET /stream/:id: the key and ingest path only for the stream's creator. */
export class StreamView extends PublicStream {
  streamKey?: string;
  ingestPath?: string;
}
