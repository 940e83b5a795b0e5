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
  /**
   * A publisher connected and its pipeline starts. `resumed`: it continues a broadcast whose
   * publisher was lost inside the reconnect window (same recording), rather than starting one.
   */
  abstract publishStarted(stream: PublishedStream, resumed: boolean): Promise<void>;
  /** The publisher was lost without Stop Streaming: the broadcast stays open for a reconnect. */
  abstract publishInterrupted(stream: PublishedStream): Promise<void>;
  /** The broadcast is over (Stop Streaming, or the reconnect window passed); FFmpeg has exited. */
  abstract publishEnded(stream: PublishedStream, how: PublishEnd): Promise<void>;
  /** Retries what an earlier end of a broadcast could not finish (local recordings without a post). */
  async recoverUnfinished(): Promise<void> {}
}

export class ProviderUnavailableError extends Error {}
