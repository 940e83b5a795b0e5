/** What the WebM splitter reads and emits. */
import type { EbmlFormatError } from './ebml';

export interface SplitterLimits {
  /** Largest accepted initialization segment (and any element before the first Cluster). */
  maxInitBytes: number;
  /** Largest accepted Cluster (and any element between Clusters). */
  maxClusterBytes: number;
}

export const DEFAULT_SPLITTER_LIMITS: SplitterLimits = {
  maxInitBytes: 1024 * 1024,
  maxClusterBytes: 8 * 1024 * 1024,
};

export type TrackKind = 'video' | 'audio' | 'other';

export interface WebmTrack {
  number: number;
  kind: TrackKind;
  /** Matroska codec id, e.g. `V_MPEG4/ISO/AVC`, `V_VP8`, `V_VP9`, `A_OPUS`. */
  codecId: string;
}

/** Everything before the first Cluster: EBML header, Segment header, Info, Tracks. */
export interface InitSegment {
  data: Buffer;
  tracks: WebmTrack[];
  timestampScaleNs: number;
  /** Which WebM stream of the input this is: 1 for the first, 2 after the first new EBML header… */
  segment: number;
}

/**
 * Complete elements of one Cluster, emitted as soon as they have arrived so FFmpeg is never kept
 * waiting for the end of a Cluster. The first fragment of a Cluster starts with its header.
 */
export interface WebmFragment {
  /** Sequence number of the Cluster in this stream, from 0. */
  cluster: number;
  clusterStart: boolean;
  /** The Cluster's first video block is a keyframe: decoding can start at this Cluster. */
  keyframe: boolean;
  /** The Cluster's Timestamp in milliseconds. */
  timestampMs: number;
  data: Buffer;
}

export interface WebmCluster {
  cluster: number;
  keyframe: boolean;
  timestampMs: number;
  data: Buffer;
}

export interface WebmSplitterEvents {
  init: [InitSegment];
  fragment: [WebmFragment];
  /** A whole Cluster (a copy): only assembled while somebody listens to this event. */
  cluster: [WebmCluster];
  error: [EbmlFormatError];
}
