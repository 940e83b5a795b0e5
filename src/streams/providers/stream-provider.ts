import type { PipelineOutput } from '../pipeline/ffmpeg-args';

/** What a provider gives us for a new live stream. */
export interface ProvisionedStream {
  providerStreamId: string;
  streamKey: string;
  playbackId: string;
  playbackUrl: string;
}

/** The stream being published, as the ingest side knows it. */
export interface PublishedStream {
  id: string;
  providerStreamId: string;
  streamKey: string;
  playbackId: string | null;
}

/** How a publish ended: the creator stopped it, or the connection/pipeline broke. */
export type PublishEnd = 'stopped' | 'dropped' | 'failed';

/**
 * The port between Streams and whoever delivers the video to viewers: Mux (RTMPS in, webhooks back)
 * or the local provider (HLS files in DATA_DIR, the same domain events emitted by itself).
 */
export abstract class StreamProvider {
  abstract readonly name: 'mux' | 'local';
  abstract provision(title: string): Promise<ProvisionedStream>;
  /** A new stream key for the stream (the old one stops working). */
  abstract resetKey(stream: PublishedStream): Promise<string>;
  abstract ingestTarget(stream: PublishedStream): PipelineOutput;
  /** A publisher connected and its pipeline started. */
  abstract publishStarted(stream: PublishedStream): Promise<void>;
  /** The publisher left and FFmpeg has exited. */
  abstract publishEnded(stream: PublishedStream, how: PublishEnd): Promise<void>;
}

export class ProviderUnavailableError extends Error {}
