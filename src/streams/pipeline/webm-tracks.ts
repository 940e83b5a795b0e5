/** Parsers for the few Segment children the splitter needs to understand. */
import { EbmlFormatError, EbmlId, bufferReader, forEachChild, readUint, readVint } from './ebml';
import type { WebmTrack } from './webm-types';

/** The tracks of a Tracks element body: number, kind and codec id of each TrackEntry. */
export function parseTracks(body: Buffer): WebmTrack[] {
  const tracks: WebmTrack[] = [];
  const byteAt = bufferReader(body);
  forEachChild(body, 0, body.length, (entry, entryStart) => {
    if (entry.id !== EbmlId.TrackEntry) return;
    const track: WebmTrack = { number: 0, kind: 'other', codecId: '' };
    forEachChild(body, entryStart, entryStart + entry.size, (h, at) => {
      if (h.id === EbmlId.TrackNumber) track.number = readUint(byteAt, at, h.size) ?? 0;
      if (h.id === EbmlId.TrackType) {
        const type = readUint(byteAt, at, h.size);
        track.kind = type === 1 ? 'video' : type === 2 ? 'audio' : 'other';
      }
      if (h.id === EbmlId.CodecID)
        track.codecId = body.toString('latin1', at, at + h.size).replace(/\0+$/, '');
    });
    tracks.push(track);
  });
  if (tracks.length === 0) throw new EbmlFormatError('Tracks without a TrackEntry');
  return tracks;
}

/** Info's TimestampScale in nanoseconds (default 1 ms). */
export function parseTimestampScale(body: Buffer): number {
  let scale = 1_000_000;
  forEachChild(body, 0, body.length, (h, at) => {
    if (h.id === EbmlId.TimestampScale) scale = readUint(bufferReader(body), at, h.size) || scale;
  });
  return scale;
}

/**
 * Track of a BlockGroup's Block, its timecode relative to the Cluster (signed, in TimestampScale
 * units) and whether it references another frame (not a keyframe).
 */
export function blockGroupInfo(body: Buffer): { track: number; referenced: boolean; relativeTime: number } {
  let track = 0;
  let referenced = false;
  let relativeTime = 0;
  forEachChild(body, 0, body.length, (h, at) => {
    if (h.id === 0xa1) {
      const v = readVint(bufferReader(body), at);
      track = v?.value ?? 0;
      if (v && at + v.length + 2 <= body.length) relativeTime = body.readInt16BE(at + v.length);
    }
    if (h.id === 0xfb) referenced = true;
  });
  return { track, referenced, relativeTime };
}
