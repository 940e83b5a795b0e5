/**
 * EBML primitives for the WebM splitter: element IDs, variable-length integers (vints) and a list of
 * received buffers that can be read at absolute stream offsets without concatenating them.
 */

export const EbmlId = {
  EBML: 0x1a45dfa3,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Info: 0x1549a966,
  TimestampScale: 0x2ad7b1,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackType: 0x83,
  CodecID: 0x86,
  Cluster: 0x1f43b675,
  Timestamp: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Cues: 0x1c53bb6b,
  Tags: 0x1254c367,
  Chapters: 0x1043a770,
  Attachments: 0x1941a469,
} as const;

/** IDs that can only appear as children of Segment: one of them ends an unknown-size Cluster. */
export const SEGMENT_CHILD_IDS: ReadonlySet<number> = new Set([
  EbmlId.SeekHead,
  EbmlId.Info,
  EbmlId.Tracks,
  EbmlId.Cluster,
  EbmlId.Cues,
  EbmlId.Tags,
  EbmlId.Chapters,
  EbmlId.Attachments,
]);

/** The size field of an element whose size is "unknown" (all value bits set). */
export const UNKNOWN_SIZE = -1;

export interface ElementHeader {
  id: number;
  /** Body size in bytes, or UNKNOWN_SIZE. */
  size: number;
  /** Bytes taken by the ID and the size field. */
  headerLength: number;
}

/** Returns the byte at an index, or -1 when it is not available (yet). */
export type ByteReader = (index: number) => number;

export class EbmlFormatError extends Error {
  override readonly name = 'EbmlFormatError';
}

/**
 * Reads an element header at `at`. Returns null when more bytes are needed and throws
 * EbmlFormatError for bytes that cannot be a header.
 */
export function readElementHeader(byteAt: ByteReader, at: number): ElementHeader | null {
  const first = byteAt(at);
  if (first < 0) return null;
  const idLength = vintLength(first);
  if (idLength === 0 || idLength > 4)
    throw new EbmlFormatError(`invalid element ID byte 0x${hex(first)} at ${at}`);
  let id = first;
  for (let i = 1; i < idLength; i++) {
    const b = byteAt(at + i);
    if (b < 0) return null;
    id = id * 256 + b;
  }
  const sizeAt = at + idLength;
  const sizeFirst = byteAt(sizeAt);
  if (sizeFirst < 0) return null;
  const sizeLength = vintLength(sizeFirst);
  if (sizeLength === 0) throw new EbmlFormatError(`invalid size byte 0x00 at ${sizeAt}`);
  const mask = 0xff >> sizeLength;
  let size = sizeFirst & mask;
  let allOnes = size === mask;
  for (let i = 1; i < sizeLength; i++) {
    const b = byteAt(sizeAt + i);
    if (b < 0) return null;
    size = size * 256 + b;
    allOnes &&= b === 0xff;
  }
  return { id, size: allOnes ? UNKNOWN_SIZE : size, headerLength: idLength + sizeLength };
}

/** Length of a vint from its first byte (1..8), or 0 for the invalid first byte 0x00. */
export function vintLength(first: number): number {
  return first === 0 ? 0 : Math.clz32(first) - 23;
}

/** Reads a vint value (marker removed) such as a block's track number. */
export function readVint(byteAt: ByteReader, at: number): { value: number; length: number } | null {
  const first = byteAt(at);
  if (first < 0) return null;
  const length = vintLength(first);
  if (length === 0) throw new EbmlFormatError(`invalid vint at ${at}`);
  let value = first & (0xff >> length);
  for (let i = 1; i < length; i++) {
    const b = byteAt(at + i);
    if (b < 0) return null;
    value = value * 256 + b;
  }
  return { value, length };
}

/** Big-endian unsigned integer of `length` bytes (EBML uint elements, up to 8 bytes). */
export function readUint(byteAt: ByteReader, at: number, length: number): number | null {
  let value = 0;
  for (let i = 0; i < length; i++) {
    const b = byteAt(at + i);
    if (b < 0) return null;
    value = value * 256 + b;
  }
  return value;
}

export function bufferReader(buf: Buffer): ByteReader {
  return (i) => buf[i] ?? -1;
}

/** Calls `visit` for each child element of the known-size body `buf[start, end)`. */
export function forEachChild(
  buf: Buffer,
  start: number,
  end: number,
  visit: (h: ElementHeader, bodyStart: number) => void,
): void {
  const byteAt = bufferReader(buf);
  let pos = start;
  while (pos < end) {
    const h = readElementHeader(byteAt, pos);
    if (!h || h.size === UNKNOWN_SIZE || pos + h.headerLength + h.size > end) {
      throw new EbmlFormatError(`truncated or unknown-size child at ${pos}`);
    }
    visit(h, pos + h.headerLength);
    pos += h.headerLength + h.size;
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/**
 * Received buffers addressed by absolute stream offset. Appending never copies; `slice` copies only
 * when a range spans buffers; `release` forgets bytes that are no longer needed.
 */
interface Chunk {
  buf: Buffer;
  /** Absolute offset of buf[0]. */
  off: number;
}

export class ByteList {
  private chunks: Chunk[] = [];
  private head = 0;
  private startAbs = 0;
  private endAbs = 0;

  /** Absolute offset of the first retained byte. */
  get start(): number {
    return this.startAbs;
  }

  /** Absolute offset one past the last received byte. */
  get end(): number {
    return this.endAbs;
  }

  /** Bytes currently retained. */
  get length(): number {
    return this.endAbs - this.startAbs;
  }

  append(buf: Buffer): void {
    if (buf.length === 0) return;
    this.chunks.push({ buf, off: this.endAbs });
    this.endAbs += buf.length;
  }

  readonly byteAt: ByteReader = (abs) => {
    if (abs < this.startAbs || abs >= this.endAbs) return -1;
    const c = this.chunk(this.indexOf(abs));
    return c.buf[abs - c.off] ?? -1;
  };

  /** Bytes [from, to) as one Buffer: a view when they lie in one received buffer, else a copy. */
  slice(from: number, to: number): Buffer {
    if (from < this.startAbs || to > this.endAbs || from > to) {
      throw new RangeError(`slice [${from}, ${to}) outside [${this.startAbs}, ${this.endAbs})`);
    }
    if (from === to) return Buffer.alloc(0);
    const first = this.indexOf(from);
    const { buf: firstBuf, off: firstOff } = this.chunk(first);
    if (to <= firstOff + firstBuf.length) return firstBuf.subarray(from - firstOff, to - firstOff);
    const out = Buffer.allocUnsafe(to - from);
    let written = 0;
    for (let i = first; written < out.length; i++) {
      const { buf, off } = this.chunk(i);
      written += buf.copy(out, written, Math.max(from - off, 0), Math.min(to - off, buf.length));
    }
    return out;
  }

  /** Forgets every byte before absolute offset `upTo`. */
  release(upTo: number): void {
    const target = Math.min(upTo, this.endAbs);
    if (target <= this.startAbs) return;
    for (let c = this.chunks[this.head]; c && c.off + c.buf.length <= target; c = this.chunks[this.head]) {
      this.head++;
    }
    const c = this.chunks[this.head];
    if (c && c.off < target) {
      c.buf = c.buf.subarray(target - c.off);
      c.off = target;
    }
    this.startAbs = target;
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  /** The retained chunk at index `i`; callers only pass indexes of retained bytes. */
  private chunk(i: number): Chunk {
    const c = this.chunks[i];
    if (!c) throw new RangeError(`no chunk ${i} in [${this.head}, ${this.chunks.length})`);
    return c;
  }

  private indexOf(abs: number): number {
    let lo = this.head;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.chunk(mid).off <= abs) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
