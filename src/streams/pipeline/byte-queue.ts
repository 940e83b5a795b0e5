import type { Writable } from 'node:stream';

/** A piece of WebM on its way to FFmpeg: the init segment or complete elements of one Cluster. */
export interface QueueItem {
  data: Buffer;
  /** Cluster sequence number; INIT_CLUSTER for the initialization segment. */
  cluster: number;
  /** The item starts with the Cluster's header. */
  clusterStart: boolean;
  /** Its Cluster starts with a decodable video keyframe. */
  keyframe: boolean;
  /** performance.now() when the data that completed this item reached the pipeline. */
  arrivedAt: number;
  /** Set once the item has been written to a sink (replays write it again). */
  written?: boolean;
  /**
   * The init segment of a new WebM stream on the same input: it is written only into a sink that
   * has had nothing else; the sink before it is ended once everything ahead of it is written.
   */
  newStream?: boolean;
}

export const INIT_CLUSTER = -1;

/** Decoding can start at this item: an init segment or the start of a keyframe Cluster. */
const resumesDecoding = (item: QueueItem | undefined): boolean =>
  !!item && (item.cluster === INIT_CLUSTER || (item.clusterStart && item.keyframe));

export interface ByteQueueOptions {
  /** Bound on queued bytes (not counting the sink's own small buffer). */
  maxBytes: number;
  /** Called after each item is handed to the sink. */
  onWritten?: (item: QueueItem) => void;
  /** Called when the congestion flag flips. */
  onCongestion?: (congested: boolean) => void;
}

/**
 * Bounded queue in bytes between the socket and FFmpeg's stdin. It writes while `write()` returns
 * true and waits for `'drain'` otherwise. When a push would exceed the bound it drops the oldest
 * whole Clusters up to the next keyframe Cluster (so FFmpeg still gets a decodable stream), or, with
 * no keyframe Cluster queued, everything unsent and then all input until the next keyframe Cluster.
 * Never dropped: the init segment and the rest of the Cluster FFmpeg is in the middle of (so the
 * bound can be exceeded by at most the remainder of one Cluster).
 */
export class ByteQueue {
  private readonly items: QueueItem[] = [];
  private head = 0;
  private queued = 0;
  private sink: Writable | undefined;
  private waitingForDrain = false;
  private waitingSince = 0;
  private writingCluster = Number.NaN;
  private waitForKeyframe = false;
  private lastDroppedCluster = Number.NaN;
  private isCongested = false;
  private endSinkWhenEmpty = false;
  private sinkFresh = false;
  private endedForNewStream = false;
  droppedClusters = 0;
  droppedBytes = 0;
  bytesWritten = 0;

  constructor(private readonly options: ByteQueueOptions) {}

  get bytes(): number {
    return this.queued;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  get congested(): boolean {
    return this.isCongested;
  }

  /** How long the sink has not taken data although some is waiting (ms); 0 when it keeps up. */
  stalledForMs(now = performance.now()): number {
    return this.waitingForDrain ? now - this.waitingSince : 0;
  }

  /**
   * A new WebM stream is next in the queue and the sink was ended ahead of it: the sink's process
   * is finishing the previous stream; attach a new sink to go on.
   */
  get waitingForNewSink(): boolean {
    return this.endedForNewStream;
  }

  /** Starts writing into `sink` (FFmpeg's stdin). */
  attach(sink: Writable): void {
    this.detach();
    this.sink = sink;
    this.sinkFresh = true;
    this.endedForNewStream = false;
    this.pump();
  }

  /** Stops writing (the process is gone); queued items stay. */
  detach(): void {
    if (this.sink && this.waitingForDrain) this.sink.removeListener('drain', this.onDrain);
    this.sink = undefined;
    this.waitingForDrain = false;
    this.writingCluster = Number.NaN;
  }

  /**
   * Forgets everything queued; input is then taken from the next keyframe Cluster on. Items of
   * Clusters before `keptFromCluster` (those a restart will not replay) count as dropped.
   */
  clear(keptFromCluster = Number.NEGATIVE_INFINITY): void {
    for (const item of this.items.slice(this.head)) {
      if (item.cluster !== INIT_CLUSTER && item.cluster < keptFromCluster) this.drop(item);
    }
    this.items.length = 0;
    this.head = 0;
    this.queued = 0;
    this.writingCluster = Number.NaN;
    this.waitForKeyframe = true;
  }

  /** Ends the sink (closes FFmpeg's stdin) once everything queued has been written into it. */
  endWhenDrained(): void {
    this.endSinkWhenEmpty = true;
    this.pump();
  }

  /** Queues the init segment or replayed data that must not be dropped. */
  pushUnconditionally(item: QueueItem): void {
    if (item.clusterStart && item.keyframe) this.waitForKeyframe = false;
    this.enqueue(item);
  }

  push(item: QueueItem): void {
    if (item.cluster === INIT_CLUSTER) return this.pushUnconditionally(item);
    if (this.waitForKeyframe) {
      if (!(item.clusterStart && item.keyframe)) return this.drop(item);
      this.waitForKeyframe = false;
    }
    if (this.queued + item.data.length > this.options.maxBytes && !this.makeRoom(item)) return;
    this.enqueue(item);
  }

  private enqueue(item: QueueItem): void {
    this.items.push(item);
    this.queued += item.data.length;
    if (this.queued * 2 >= this.options.maxBytes) this.setCongested(true);
    this.pump();
  }

  /** Frees room for `incoming`; returns false when `incoming` itself had to be dropped. */
  private makeRoom(incoming: QueueItem): boolean {
    if (incoming.cluster === this.writingCluster) return true;
    let first = this.head;
    while (first < this.items.length && this.items[first]?.cluster === this.writingCluster) first++;
    while (this.queued + incoming.data.length > this.options.maxBytes && first < this.items.length) {
      // An init segment is never dropped: decoding resumes at it as at a keyframe Cluster.
      if (this.items[first]?.cluster === INIT_CLUSTER) {
        first++;
        continue;
      }
      let next = first + 1;
      while (next < this.items.length && !resumesDecoding(this.items[next])) next++;
      if (next === this.items.length && !(incoming.clusterStart && incoming.keyframe)) {
        // No keyframe Cluster to resume from: drop all unsent data and wait for one.
        this.dropRange(first, next);
        this.waitForKeyframe = true;
        this.drop(incoming);
        return false;
      }
      this.dropRange(first, next);
    }
    if (this.queued + incoming.data.length <= this.options.maxBytes) return true;
    // Only the Cluster being written is left and the new Cluster does not fit next to it.
    this.waitForKeyframe = true;
    this.drop(incoming);
    return false;
  }

  private dropRange(from: number, to: number): void {
    for (const item of this.items.splice(from, to - from)) {
      this.queued -= item.data.length;
      this.drop(item);
    }
  }

  private drop(item: QueueItem): void {
    this.droppedBytes += item.data.length;
    if (item.cluster !== this.lastDroppedCluster) {
      this.droppedClusters++;
      this.lastDroppedCluster = item.cluster;
    }
    this.setCongested(true);
  }

  private readonly onDrain = (): void => {
    this.waitingForDrain = false;
    this.pump();
  };

  private pump(): void {
    const sink = this.sink;
    while (sink && !this.waitingForDrain) {
      const item = this.items[this.head];
      if (!item) break;
      if (item.newStream && !this.sinkFresh) {
        // The previous WebM stream is complete in this sink: end it; the next sink starts afresh.
        if (!this.endedForNewStream) sink.end();
        this.endedForNewStream = true;
        break;
      }
      this.sinkFresh = false;
      this.items[this.head++] = undefined as unknown as QueueItem;
      this.queued -= item.data.length;
      this.writingCluster = item.cluster;
      this.bytesWritten += item.data.length;
      const ok = sink.write(item.data);
      this.options.onWritten?.(item);
      if (!ok && this.sink === sink) {
        this.waitingForDrain = true;
        this.waitingSince = performance.now();
        sink.once('drain', this.onDrain);
      }
    }
    if (this.head > 0 && (this.head === this.items.length || this.head > 1024)) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    if (sink && this.endSinkWhenEmpty && this.head === this.items.length) {
      this.endSinkWhenEmpty = false;
      sink.end();
    }
    if (this.isCongested && !this.waitForKeyframe && this.queued * 4 <= this.options.maxBytes)
      this.setCongested(false);
  }

  private setCongested(value: boolean): void {
    if (this.isCongested === value) return;
    this.isCongested = value;
    this.options.onCongestion?.(value);
  }
}
