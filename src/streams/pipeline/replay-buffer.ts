import type { QueueItem } from './byte-queue';

interface Gop {
  startMs: number;
  items: QueueItem[];
  bytes: number;
}

/**
 * Recent input in groups that each start with a keyframe Cluster, so a restarted FFmpeg can be fed
 * the init segment and then everything from the last keyframe it had certainly sent out (Icecast's
 * format_ebml.c restarts its readers at keyframe Clusters the same way). `trim(outputMs)` drops
 * groups FFmpeg has finished outputting; replaying from the group that contains `outputMs` means
 * nothing is lost even when FFmpeg dies with input still unread in its pipe, at the price of
 * repeating up to one keyframe interval. Bounded by `maxBytes`: the oldest groups go first, and a
 * single group larger than the bound empties the buffer until the next keyframe Cluster.
 */
export class ReplayBuffer {
  private gops: Gop[] = [];
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.size;
  }

  /** Timestamp (ms) of the keyframe Cluster a replay would start with, or null when empty. */
  get startMs(): number | null {
    return this.gops[0]?.startMs ?? null;
  }

  add(item: QueueItem, clusterTimestampMs: number): void {
    if (item.clusterStart && item.keyframe) {
      this.gops.push({ startMs: clusterTimestampMs, items: [], bytes: 0 });
    }
    const gop = this.gops.at(-1);
    if (!gop) return;
    gop.items.push(item);
    gop.bytes += item.data.length;
    this.size += item.data.length;
    while (this.size > this.maxBytes && this.gops.length > 1) this.size -= this.gops.shift()!.bytes;
    if (this.size > this.maxBytes) this.clear();
  }

  /** FFmpeg has output media up to `outputMs`: forget the groups that end before it. */
  trim(outputMs: number): void {
    while ((this.gops[1]?.startMs ?? Number.POSITIVE_INFINITY) <= outputMs)
      this.size -= this.gops.shift()!.bytes;
  }

  clear(): void {
    this.gops = [];
    this.size = 0;
  }

  snapshot(): QueueItem[] {
    return this.gops.flatMap((g) => g.items);
  }
}
