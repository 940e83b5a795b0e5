/**
 * Domain events of a live stream, emitted by StreamsModule after its database write (from Mux's
 * webhooks or the local provider). Consumers live in their own modules: Streams never imports them.
 */
import type { StreamState } from '../../contract/ingest-protocol';

interface StreamRef {
  liveStreamId: string;
  creatorId: string;
  /** The provider's time of the change (Mux's created_at), not our arrival time. */
  occurredAt: Date;
  /** The stream's state after the change (state events only). */
  state?: StreamState;
}

export class StreamConnectedEvent {
  static readonly event = 'stream.connected';
  constructor(readonly stream: StreamRef) {}
}

export class StreamWentLiveEvent {
  static readonly event = 'stream.went-live';
  constructor(readonly stream: StreamRef) {}
}

export class StreamDisconnectedEvent {
  static readonly event = 'stream.disconnected';
  constructor(readonly stream: StreamRef) {}
}

export class StreamEndedEvent {
  static readonly event = 'stream.ended';
  constructor(readonly stream: StreamRef) {}
}

export class RecordingReadyEvent {
  static readonly event = 'stream.recording-ready';
  constructor(
    readonly stream: StreamRef,
    readonly recording: {
      assetId: string;
      playbackId: string;
      playbackUrl: string;
      durationSec: number | null;
      title: string;
      posterUrl?: string | null;
      /** Local mode: an MP4 of the recording exists (served at /posts/:id/download). */
      localDownload?: boolean;
    },
  ) {}
}

export type StreamEvent =
  | StreamConnectedEvent
  | StreamWentLiveEvent
  | StreamDisconnectedEvent
  | StreamEndedEvent
  | RecordingReadyEvent;
