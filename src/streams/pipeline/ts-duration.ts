/**
 * How long a recording made of MPEG-TS segments plays, from the video's PES timestamps (pure).
 * FFmpeg's HLS muxer under-reports the #EXTINF of the last segment each FFmpeg writes, so a local
 * recording summed from its playlist came out short by up to a second per part (each reconnect or
 * quality step starts a part). The timestamps say where each part's video starts and ends.
 */
const PACKET = 188;
const PTS_CLOCK = 90_000;

export interface VideoSpan {
  /** First and last video PTS (90 kHz) and the smallest step between frames (null: one frame). */
  first: number;
  last: number;
  step: number | null;
}

function readPts(b: Buffer, at: number): number {
  return (
    ((b.readUInt8(at) >> 1) & 0x07) * 2 ** 30 +
    (b.readUInt16BE(at + 1) >> 1) * 2 ** 15 +
    (b.readUInt16BE(at + 3) >> 1)
  );
}

/** The video timestamps of one segment, or null when it holds no video PES with a PTS. */
export function videoSpan(data: Buffer): VideoSpan | null {
  let span: VideoSpan | null = null;
  let prev: number | null = null;
  for (let off = 0; off + PACKET <= data.length; off += PACKET) {
    if (data.readUInt8(off) !== 0x47 || !(data.readUInt8(off + 1) & 0x40)) continue; // sync byte, payload unit start
    const afc = (data.readUInt8(off + 3) >> 4) & 0x3;
    if (afc === 0 || afc === 2) continue; // no payload
    const p = afc === 3 ? off + 5 + data.readUInt8(off + 4) : off + 4;
    if (
      p + 14 > off + PACKET ||
      data.readUInt8(p) !== 0 ||
      data.readUInt8(p + 1) !== 0 ||
      data.readUInt8(p + 2) !== 1
    )
      continue;
    if ((data.readUInt8(p + 3) & 0xf0) !== 0xe0 || !(data.readUInt8(p + 7) & 0x80)) continue; // a video PES with a PTS
    const pts = readPts(data, p + 9);
    if (!span) span = { first: pts, last: pts, step: null };
    else {
      if (prev !== null && pts > prev && (span.step === null || pts - prev < span.step))
        span.step = pts - prev;
      span.first = Math.min(span.first, pts);
      span.last = Math.max(span.last, pts);
    }
    prev = pts;
  }
  return span;
}

/** Seconds from the first segment's first frame to the end of the last segment's last frame. */
export function partSeconds(firstSegment: VideoSpan, lastSegment: VideoSpan): number {
  const step = lastSegment.step ?? firstSegment.step ?? 0;
  return Math.max(0, lastSegment.last + step - firstSegment.first) / PTS_CLOCK;
}
