import type { QueueItem } from './byte-queue';

/**
 * Everything received since the start of the most recent keyframe Cluster, so a restarted FFmpeg
 * can be fed the init segment and then this (Icecast's format_ebml.c restarts its readers the same
 * way). Bounded: past `maxBytes` it empties and waits for the next keyframe Cluster.
 */
export class ReplayBuffer {
  private items: QueueItem[] = [];
  private size = 0;
  private fromMs: number | null = null;

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.size;
  }

  /** Timestamp (ms) of the keyframe Cluster the buffer starts with, or null when empty. */
  get startMs(): number | null {
    return this.fromMs;
  }

  add(item: QueueItem, clusterTimestampMs: number): void {
    if (item.clusterStart && item.keyframe) {
      this.items = [];
      this.size = 0;
      this.fromMs = clusterTimestampMs;
    } else if (this.items.length === 0) {
      return;
    }
    this.items.push(item);
    this.size += item.data.length;
    if (this.size > this.maxBytes) {
      this.items = [];
      this.size = 0;
      this.fromMs = null;
    }
  }

  snapshot(): readonly QueueItem[] {
    return [...this.items];
  }
}
