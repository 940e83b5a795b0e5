import { EventEmitter } from 'node:events';
import {
  ByteList,
  EbmlFormatError,
  EbmlId,
  type ElementHeader,
  SEGMENT_CHILD_IDS,
  UNKNOWN_SIZE,
  readElementHeader,
} from './ebml';
import { type OpenCluster, readClusterChild } from './webm-cluster';
import { parseTimestampScale, parseTracks } from './webm-tracks';
import {
  DEFAULT_SPLITTER_LIMITS,
  type InitSegment,
  type SplitterLimits,
  type WebmSplitterEvents,
  type WebmTrack,
} from './webm-types';

type State = 'ebml' | 'segment-header' | 'segment' | 'cluster' | 'skip' | 'failed';

/**
 * Streaming WebM (Matroska) splitter for MediaRecorder output. Chunk boundaries may fall anywhere;
 * Segment and Clusters may have unknown sizes (a Cluster then ends where the next Segment child
 * starts). Buffering is bounded by `limits`: oversized or malformed input ends in one `error` event.
 */
export class WebmSplitter extends EventEmitter<WebmSplitterEvents> {
  private readonly list = new ByteList();
  private readonly limits: SplitterLimits;
  private state: State = 'ebml';
  private pos = 0;
  private segmentEnd = Infinity;
  private skipEnd = 0;
  private tracks: WebmTrack[] | undefined;
  private timestampScaleNs = 1_000_000;
  private initSegment: InitSegment | undefined;
  private open: OpenCluster | undefined;
  private clusterCount = 0;
  private lastTimestampMs = 0;
  private segmentCount = 0;
  private maxMediaMs = 0;

  constructor(limits: Partial<SplitterLimits> = {}) {
    super();
    this.limits = { ...DEFAULT_SPLITTER_LIMITS, ...limits };
  }

  /** The initialization segment once the first Cluster has started. */
  get init(): InitSegment | undefined {
    return this.initSegment;
  }

  /** How many WebM streams (EBML headers) the input has started so far. */
  get segments(): number {
    return this.segmentCount;
  }

  /**
   * The highest media time (ms) parsed in the current WebM stream: Cluster Timestamp plus the
   * relative timecode of its blocks. 0 until the first block.
   */
  get mediaMs(): number {
    return this.maxMediaMs;
  }

  get failed(): boolean {
    return this.state === 'failed';
  }

  /** Bytes held while waiting for the rest of an element. */
  get bufferedBytes(): number {
    return this.list.length;
  }

  push(chunk: Buffer): void {
    if (this.state === 'failed') return;
    this.list.append(chunk);
    try {
      this.parse();
      this.flushFragment();
    } catch (err) {
      this.fail(err instanceof EbmlFormatError ? err : new EbmlFormatError(String(err)));
    }
  }

  /** End of input: closes the last Cluster. Returns false when an element was left incomplete. */
  end(): boolean {
    if (this.state === 'failed') return false;
    if (this.state === 'cluster' && this.open) this.closeCluster();
    return this.list.end === this.pos && (this.state === 'segment' || this.state === 'cluster');
  }

  private parse(): void {
    for (;;) {
      switch (this.state) {
        case 'ebml':
        case 'segment-header':
          if (!this.parseHeaderElement()) return;
          break;
        case 'segment':
          if (!this.parseSegmentChild()) return;
          break;
        case 'cluster':
          if (!this.parseClusterChild()) return;
          break;
        case 'skip':
          this.list.release(Math.min(this.skipEnd, this.list.end));
          this.pos = this.list.start;
          if (this.pos < this.skipEnd) return;
          this.state = 'segment';
          break;
        case 'failed':
          return;
      }
    }
  }

  private header(): ElementHeader | null {
    const h = readElementHeader(this.list.byteAt, this.pos);
    if (!h && this.list.length > this.limits.maxClusterBytes) throw new EbmlFormatError('no element header');
    return h;
  }

  private parseHeaderElement(): boolean {
    const h = this.header();
    if (!h) return this.checkInitBound();
    if (this.state === 'ebml') {
      if (h.id !== EbmlId.EBML) throw new EbmlFormatError(`not WebM: starts with ID 0x${h.id.toString(16)}`);
      if (h.size === UNKNOWN_SIZE || h.size > this.limits.maxInitBytes)
        throw new EbmlFormatError('bad EBML header size');
      if (this.pos + h.headerLength + h.size > this.list.end) return this.checkInitBound();
      this.pos += h.headerLength + h.size;
      this.segmentCount++;
      this.state = 'segment-header';
      return true;
    }
    if (h.id !== EbmlId.Segment) throw new EbmlFormatError(`expected Segment, got 0x${h.id.toString(16)}`);
    this.segmentEnd = h.size === UNKNOWN_SIZE ? Infinity : this.pos + h.headerLength + h.size;
    this.pos += h.headerLength;
    this.state = 'segment';
    return true;
  }

  private parseSegmentChild(): boolean {
    const h = this.header();
    if (h?.id === EbmlId.EBML) {
      this.startNewStream();
      return true;
    }
    if (this.pos >= this.segmentEnd) {
      if (this.list.end > this.pos && h) throw new EbmlFormatError('data after the end of the Segment');
      return false;
    }
    if (!h) return this.checkInitBound();
    if (h.id === EbmlId.EBML || h.id === EbmlId.Segment)
      throw new EbmlFormatError('a second Segment inside a WebM stream');
    if (h.id === EbmlId.Cluster) {
      this.openCluster(h);
      return true;
    }
    if (h.size === UNKNOWN_SIZE) throw new EbmlFormatError(`unknown size for 0x${h.id.toString(16)}`);
    const bodyStart = this.pos + h.headerLength;
    const end = bodyStart + h.size;
    if (this.initSegment) {
      // Cues, Tags, Void… between or after Clusters: not needed downstream, skipped unbuffered.
      if (h.size > this.limits.maxClusterBytes) throw new EbmlFormatError(`element of ${h.size} bytes`);
      this.skipEnd = end;
      this.state = 'skip';
      return true;
    }
    if (end - this.list.start > this.limits.maxInitBytes)
      throw new EbmlFormatError('initialization segment too large');
    if (end > this.list.end) return false;
    if (h.id === EbmlId.Tracks) this.tracks = parseTracks(this.list.slice(bodyStart, end));
    if (h.id === EbmlId.Info) this.timestampScaleNs = parseTimestampScale(this.list.slice(bodyStart, end));
    this.pos = end;
    return true;
  }

  /**
   * A new EBML header after Clusters: the sender restarted its recorder (e.g. at another quality)
   * on the same connection. Everything is read afresh: header, Tracks, timestamps from 0.
   */
  private startNewStream(): void {
    this.list.release(this.pos);
    this.state = 'ebml';
    this.segmentEnd = Infinity;
    this.tracks = undefined;
    this.timestampScaleNs = 1_000_000;
    this.initSegment = undefined;
    this.lastTimestampMs = 0;
    this.maxMediaMs = 0;
  }

  private checkInitBound(): false {
    if (!this.initSegment && this.list.length > this.limits.maxInitBytes) {
      throw new EbmlFormatError('initialization segment too large');
    }
    return false;
  }

  private openCluster(h: ElementHeader): void {
    if (!this.tracks) throw new EbmlFormatError('Cluster before Tracks');
    if (!this.initSegment) {
      this.initSegment = {
        data: Buffer.from(this.list.slice(this.list.start, this.pos)),
        tracks: this.tracks,
        timestampScaleNs: this.timestampScaleNs,
        segment: this.segmentCount,
      };
      this.list.release(this.pos);
      this.emit('init', this.initSegment);
    }
    if (h.size !== UNKNOWN_SIZE && h.size > this.limits.maxClusterBytes) {
      throw new EbmlFormatError(`Cluster of ${h.size} bytes`);
    }
    const end = h.size === UNKNOWN_SIZE ? this.segmentEnd : this.pos + h.headerLength + h.size;
    this.open = {
      index: this.clusterCount++,
      start: this.pos,
      end,
      keyframe: this.tracks.some((t) => t.kind === 'video') ? undefined : true,
      timestampMs: this.lastTimestampMs,
      emitted: this.pos,
      retain: this.listenerCount('cluster') > 0,
    };
    this.pos += h.headerLength;
    this.state = 'cluster';
  }

  private parseClusterChild(): boolean {
    const c = this.open!;
    if (this.pos >= c.end) {
      this.closeCluster();
      return true;
    }
    const h = readElementHeader(this.list.byteAt, this.pos);
    if (!h) return false;
    if (SEGMENT_CHILD_IDS.has(h.id) || h.id === EbmlId.EBML || h.id === EbmlId.Segment) {
      if (c.end !== Infinity && c.end !== this.segmentEnd)
        throw new EbmlFormatError('Segment child inside a Cluster');
      this.closeCluster();
      return true;
    }
    if (h.size === UNKNOWN_SIZE)
      throw new EbmlFormatError(`unknown size for 0x${h.id.toString(16)} in a Cluster`);
    const bodyStart = this.pos + h.headerLength;
    const end = bodyStart + h.size;
    if (end > c.end) throw new EbmlFormatError('element crosses the end of its Cluster');
    if (end - c.start > this.limits.maxClusterBytes)
      throw new EbmlFormatError('Cluster exceeds the size limit');
    if (end > this.list.end) return false;
    const stream = { tracks: this.tracks ?? [], timestampScaleNs: this.timestampScaleNs };
    const blockMs = readClusterChild(c, h, bodyStart, end, this.list, stream);
    if (h.id === EbmlId.Timestamp) this.lastTimestampMs = c.timestampMs;
    if (blockMs !== null && blockMs > this.maxMediaMs) this.maxMediaMs = blockMs;
    this.pos = end;
    return true;
  }

  private flushFragment(): void {
    const c = this.open;
    if (this.state !== 'cluster' || !c || c.keyframe === undefined || this.pos <= c.emitted) return;
    this.emitFragment(c, c.keyframe);
  }

  private emitFragment(c: OpenCluster, keyframe: boolean): void {
    const data = this.list.slice(c.emitted, this.pos);
    const clusterStart = c.emitted === c.start;
    c.emitted = this.pos;
    if (!c.retain) this.list.release(this.pos);
    this.emit('fragment', { cluster: c.index, clusterStart, keyframe, timestampMs: c.timestampMs, data });
  }

  private closeCluster(): void {
    const c = this.open!;
    const keyframe = c.keyframe ?? false;
    if (this.pos > c.emitted) this.emitFragment(c, keyframe);
    if (c.retain) {
      const data = this.list.slice(c.start, this.pos);
      this.emit('cluster', { cluster: c.index, keyframe, timestampMs: c.timestampMs, data });
    }
    this.list.release(this.pos);
    this.open = undefined;
    this.state = 'segment';
  }

  private fail(err: EbmlFormatError): void {
    this.state = 'failed';
    this.open = undefined;
    this.list.release(this.list.end);
    this.emit('error', err);
  }
}
