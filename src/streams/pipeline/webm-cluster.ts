import { type ByteList, EbmlFormatError, EbmlId, type ElementHeader, readUint, readVint } from './ebml';
import { blockGroupInfo } from './webm-tracks';
import type { WebmTrack } from './webm-types';

/** A Cluster the splitter is reading: where it lies, what it has emitted, what it has learnt. */
export interface OpenCluster {
  index: number;
  start: number;
  end: number;
  /** Whether its first video block is a keyframe; undefined until that block has been read. */
  keyframe: boolean | undefined;
  timestampMs: number;
  /** Absolute offset up to which its bytes have gone out as fragments. */
  emitted: number;
  /** Keep its bytes until it ends (somebody listens to whole Clusters). */
  retain: boolean;
}

/** What a Cluster's blocks are read against: the current WebM stream's Tracks and TimestampScale. */
export interface StreamInfo {
  tracks: WebmTrack[];
  timestampScaleNs: number;
}

/**
 * Reads one complete child element of an open Cluster (body from `bodyStart` to `end`): a Timestamp
 * sets the Cluster's time; the first video SimpleBlock or BlockGroup says whether it starts with a
 * keyframe. Returns the media time (ms) of a block, null for anything else.
 */
export function readClusterChild(
  c: OpenCluster,
  h: ElementHeader,
  bodyStart: number,
  end: number,
  list: ByteList,
  stream: StreamInfo,
): number | null {
  const isVideo = (track: number) => stream.tracks.some((t) => t.number === track && t.kind === 'video');
  /** A block `relativeTime` (TimestampScale units, signed) after its Cluster's Timestamp. */
  const blockMs = (relativeTime: number) => c.timestampMs + (relativeTime * stream.timestampScaleNs) / 1e6;
  if (h.id === EbmlId.Timestamp) {
    const ts = readUint(list.byteAt, bodyStart, h.size) ?? 0;
    c.timestampMs = (ts * stream.timestampScaleNs) / 1e6;
    return null;
  }
  if (h.id === EbmlId.SimpleBlock) {
    const track = readVint(list.byteAt, bodyStart);
    const at = track ? bodyStart + track.length : -1;
    const flags = track ? list.byteAt(at + 2) : -1;
    if (!track || flags < 0) throw new EbmlFormatError('truncated SimpleBlock');
    const ms = blockMs((((list.byteAt(at) << 8) | list.byteAt(at + 1)) << 16) >> 16);
    if (c.keyframe === undefined && isVideo(track.value)) c.keyframe = (flags & 0x80) !== 0;
    return ms;
  }
  if (h.id === EbmlId.BlockGroup) {
    const group = blockGroupInfo(list.slice(bodyStart, end));
    if (c.keyframe === undefined && isVideo(group.track)) c.keyframe = !group.referenced;
    return blockMs(group.relativeTime);
  }
  return null;
}
