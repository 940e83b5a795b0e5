/**
 * Where a recorder's WebM byte stream may be cut (pure). MediaRecorder's chunks can end in the middle
 * of an element, so dropping the rest of a recording after an arbitrary chunk would leave the server a
 * truncated block followed by the next recording's EBML header. This follows the element structure
 * (EBML header, Segment, its children, Clusters and their children) and records the offsets where a
 * Cluster starts or one of its children ends: there the stream may end and a new EBML header follow
 * (never inside the initialization segment). It also reads the video's encoded size from the Tracks
 * element (Tracks → TrackEntry → Video → PixelWidth / PixelHeight): the size really recorded, which
 * may differ from what the camera track was asked for.
 */

const ID_SEGMENT = 0x18538067;
const ID_CLUSTER = 0x1f43b675;
const ID_TRACKS = 0x1654ae6b;
const ID_TRACK_ENTRY = 0xae;
const ID_VIDEO = 0xe0;
const ID_PIXEL_WIDTH = 0xb0;
const ID_PIXEL_HEIGHT = 0xba;

type Level = 'top' | 'segment' | 'cluster';

export class WebmBoundaries {
  private buf = new Uint8Array(0);
  /** Absolute offset of buf[0]. */
  private base = 0;
  /** Absolute offset of the next element header to read. */
  private pos = 0;
  private level: Level = 'top';
  private clusterEnd = Infinity;
  private readonly cuts: number[] = [];
  private failed = false;
  private size: { width: number; height: number } | null = null;

  /** The encoded video size from the Tracks element (null until it was read, or without video). */
  get videoSize(): { width: number; height: number } | null {
    return this.size;
  }

  /** The bytes did not parse as WebM: no cut points will be known. */
  get broken(): boolean {
    return this.failed;
  }

  /** Bytes fed so far. */
  get length(): number {
    return this.base + this.buf.length;
  }

  push(data: Uint8Array): void {
    if (this.failed) return;
    const next = new Uint8Array(this.buf.length + data.length);
    next.set(this.buf);
    next.set(data, this.buf.length);
    this.buf = next;
    this.parse();
  }

  /** The first offset ≥ `from` where the stream may be cut, or null while not known yet. */
  cutAtOrAfter(from: number): number | null {
    while ((this.cuts[0] ?? from) < from) this.cuts.shift();
    return this.cuts[0] ?? null;
  }

  private parse(): void {
    for (;;) {
      if (this.level === 'cluster' && this.pos >= this.clusterEnd) {
        this.level = 'segment';
        this.clusterEnd = Infinity;
      }
      const h = this.header(this.pos);
      if (!h) break;
      if (this.level === 'top') {
        if (h.id === ID_SEGMENT) {
          this.pos += h.headerLength;
          this.level = 'segment';
          continue;
        }
      } else if (h.id === ID_CLUSTER) {
        // a new Cluster ends the previous one (unknown sizes) and is a place to cut
        this.cut(this.pos);
        this.pos += h.headerLength;
        this.level = 'cluster';
        this.clusterEnd = h.size === null ? Infinity : this.pos + h.size;
        continue;
      }
      if (h.size === null) {
        this.failed = true; // only Segment and Cluster may have unknown sizes: give up
        return;
      }
      const end = this.pos + h.headerLength + h.size;
      if (end > this.length) break;
      if (this.level === 'segment' && h.id === ID_TRACKS) this.readTracks(this.pos + h.headerLength, end);
      this.pos = end;
      if (this.level === 'cluster') this.cut(end);
    }
    this.compact();
  }

  /** Finds the first video track's PixelWidth / PixelHeight in the (fully buffered) Tracks element. */
  private readTracks(from: number, to: number): void {
    const walk = (start: number, end: number, path: number[]): void => {
      for (let at = start; at < end;) {
        const h = this.header(at);
        if (!h || h.size === null) return;
        const body = at + h.headerLength;
        const next = body + h.size;
        if (next > end) return;
        const id = path.length === 0 ? ID_TRACK_ENTRY : ID_VIDEO;
        if (h.id === id && path.length < 2) walk(body, next, [...path, h.id]);
        else if (path.length === 2 && (h.id === ID_PIXEL_WIDTH || h.id === ID_PIXEL_HEIGHT)) {
          let v = 0;
          for (let i = body; i < next; i++) v = v * 256 + this.byte(i);
          if (h.id === ID_PIXEL_WIDTH) w = v;
          else hgt = v;
        }
        at = next;
      }
    };
    let w = 0;
    let hgt = 0;
    walk(from, to, []);
    if (w > 0 && hgt > 0) this.size = { width: w, height: hgt };
    this.failed = false; // a malformed Tracks only costs the size, never the cut points
  }

  private cut(at: number): void {
    if (this.cuts[this.cuts.length - 1] !== at) this.cuts.push(at);
  }

  /** Drops bytes before the element being read (they are never needed again). */
  private compact(): void {
    const keep = Math.min(this.pos, this.length) - this.base;
    if (keep > 0) {
      this.buf = this.buf.slice(keep);
      this.base += keep;
    }
  }

  private byte(at: number): number {
    const i = at - this.base;
    return this.buf[i] ?? -1;
  }

  /** An element header at `at`: its ID, its size (null: unknown) and the header's length. */
  private header(at: number): { id: number; size: number | null; headerLength: number } | null {
    const first = this.byte(at);
    if (first < 0) return null;
    const idLen = first >= 0x80 ? 1 : first >= 0x40 ? 2 : first >= 0x20 ? 3 : first >= 0x10 ? 4 : 0;
    if (!idLen) {
      this.failed = true;
      return null;
    }
    let id = 0;
    for (let i = 0; i < idLen; i++) {
      const b = this.byte(at + i);
      if (b < 0) return null;
      id = id * 256 + b;
    }
    const s0 = this.byte(at + idLen);
    if (s0 < 0) return null;
    let sizeLen = 1;
    while (sizeLen <= 8 && !(s0 & (0x80 >> (sizeLen - 1)))) sizeLen++;
    if (sizeLen > 8) {
      this.failed = true;
      return null;
    }
    let size = s0 & (0xff >> sizeLen);
    let allOnes = size === 0xff >> sizeLen;
    for (let i = 1; i < sizeLen; i++) {
      const b = this.byte(at + idLen + i);
      if (b < 0) return null;
      size = size * 256 + b;
      if (b !== 0xff) allOnes = false;
    }
    return { id, size: allOnes ? null : size, headerLength: idLen + sizeLen };
  }
}
