import { Writable } from 'node:stream';
import { ByteQueue, INIT_CLUSTER, type QueueItem } from './byte-queue';

/** A real Writable whose consumer can be paused, like FFmpeg's stdin when FFmpeg stops reading. */
class Sink extends Writable {
  readonly chunks: Buffer[] = [];
  private pending: Array<() => void> = [];
  paused = false;

  constructor(highWaterMark = 1024) {
    super({ highWaterMark });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error) => void): void {
    this.chunks.push(chunk);
    if (this.paused) this.pending.push(() => done());
    else done();
  }

  resume(): void {
    this.paused = false;
    const pending = this.pending;
    this.pending = [];
    for (const done of pending) done();
  }
}

const FRAGMENTS_PER_CLUSTER = 3;

/** Items whose bytes say which cluster and fragment they are. */
function clusterItems(cluster: number, keyframe: boolean, fragmentBytes = 4000): QueueItem[] {
  return Array.from({ length: FRAGMENTS_PER_CLUSTER }, (_, fragment) => {
    const data = Buffer.alloc(fragmentBytes);
    data.writeUInt32BE(cluster, 0);
    data.writeUInt16BE(fragment, 4);
    return { data, cluster, clusterStart: fragment === 0, keyframe, arrivedAt: 0 };
  });
}

function decode(chunks: Buffer[]): Array<{ cluster: number; fragment: number }> {
  return chunks.map((c) => ({ cluster: c.readUInt32BE(0), fragment: c.readUInt16BE(4) }));
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ByteQueue', () => {
  it('writes everything in order while the sink keeps up', async () => {
    const sink = new Sink();
    const written: QueueItem[] = [];
    const queue = new ByteQueue({ maxBytes: 64 * 1024, onWritten: (item) => written.push(item) });
    queue.attach(sink);
    const items = Array.from({ length: 20 }, (_, i) => clusterItems(i, i % 5 === 0)).flat();
    for (const item of items) {
      queue.push(item);
      await tick();
    }
    expect(Buffer.concat(sink.chunks).equals(Buffer.concat(items.map((i) => i.data)))).toBe(true);
    expect(written).toEqual(items);
    expect([queue.droppedClusters, queue.droppedBytes, queue.bytes, queue.congested]).toEqual([
      0,
      0,
      0,
      false,
    ]);
  });

  it("stops writing when write() returns false and continues on 'drain'", async () => {
    const sink = new Sink(1);
    sink.paused = true;
    const queue = new ByteQueue({ maxBytes: 1024 * 1024 });
    queue.attach(sink);
    const items = clusterItems(0, true);
    items.forEach((item) => queue.push(item));
    await tick();
    expect(sink.chunks).toHaveLength(1);
    expect(queue.length).toBe(2);
    expect(queue.bytes).toBe(8000);
    sink.resume();
    await tick();
    await tick();
    expect(decode(sink.chunks)).toEqual([0, 1, 2].map((fragment) => ({ cluster: 0, fragment })));
    expect(queue.bytes).toBe(0);
  });

  it('stays within its bound when the sink stalls and drops whole clusters up to the next keyframe cluster', async () => {
    const maxBytes = 100_000;
    const sink = new Sink(1);
    const queue = new ByteQueue({ maxBytes });
    queue.attach(sink);
    // Cluster 0 reaches the sink, then the sink stalls in the middle of it.
    const all: QueueItem[] = [];
    for (let c = 0; c < 60; c++) all.push(...clusterItems(c, c % 4 === 0));
    sink.paused = true;
    let peak = 0;
    for (const item of all) {
      queue.push(item);
      peak = Math.max(peak, queue.bytes);
    }
    // The bound may only be exceeded by the rest of the cluster FFmpeg is in the middle of.
    expect(peak).toBeLessThanOrEqual(maxBytes + (FRAGMENTS_PER_CLUSTER - 1) * 4000);
    expect(queue.congested).toBe(true);
    expect(queue.droppedClusters).toBeGreaterThan(0);
    sink.resume();
    await tick();
    await tick();
    const got = decode(sink.chunks);
    // Whole clusters only, and every gap resumes at a keyframe cluster.
    const byCluster = new Map<number, number[]>();
    for (const g of got) byCluster.set(g.cluster, [...(byCluster.get(g.cluster) ?? []), g.fragment]);
    for (const fragments of byCluster.values()) expect(fragments).toEqual([0, 1, 2]);
    const clusters = [...byCluster.keys()];
    expect(clusters).toEqual([...clusters].sort((a, b) => a - b));
    clusters.slice(1).forEach((c, i) => {
      if (c !== clusters[i]! + 1) expect(c % 4).toBe(0);
    });
    // The newest data survives: the drops were the oldest clusters.
    expect(clusters.at(-1)).toBe(59);
    const missing = 60 - clusters.length;
    expect(queue.droppedClusters).toBe(missing);
    expect(queue.droppedBytes).toBe(missing * FRAGMENTS_PER_CLUSTER * 4000);
    expect(queue.congested).toBe(false);
  });

  it('with no keyframe cluster queued, drops everything unsent and input until the next keyframe cluster', async () => {
    const sink = new Sink(1);
    const queue = new ByteQueue({ maxBytes: 70_000 });
    queue.attach(sink);
    sink.paused = true;
    const all: QueueItem[] = [];
    for (let c = 0; c < 30; c++) all.push(...clusterItems(c, c === 0 || c === 25));
    all.forEach((item) => queue.push(item));
    sink.resume();
    await tick();
    await tick();
    const clusters = [...new Set(decode(sink.chunks).map((g) => g.cluster))];
    expect(clusters[0]).toBe(0);
    expect(clusters.slice(1)).toEqual([25, 26, 27, 28, 29]);
    expect(queue.droppedClusters).toBe(24);
  });

  it('never drops the init segment and ends the sink once drained', async () => {
    const sink = new Sink(1);
    sink.paused = true;
    const queue = new ByteQueue({ maxBytes: 10_000 });
    queue.attach(sink);
    const init: QueueItem = {
      data: Buffer.alloc(9000, 1),
      cluster: INIT_CLUSTER,
      clusterStart: false,
      keyframe: false,
      arrivedAt: 0,
    };
    queue.push(init);
    clusterItems(0, true).forEach((item) => queue.push(item));
    clusterItems(1, false).forEach((item) => queue.push(item));
    queue.push({ ...init, data: Buffer.alloc(9000, 2) });
    const finished = new Promise((resolve) => sink.on('finish', resolve));
    queue.endWhenDrained();
    sink.resume();
    await finished;
    expect(sink.chunks[0]).toBe(init.data);
    expect(sink.chunks.at(-1)![0]).toBe(2);
  });

  it('after clear() waits for a keyframe cluster before passing data on', async () => {
    const sink = new Sink();
    const queue = new ByteQueue({ maxBytes: 100_000 });
    queue.clear();
    queue.attach(sink);
    [...clusterItems(7, false), ...clusterItems(8, true), ...clusterItems(9, false)].forEach((i) =>
      queue.push(i),
    );
    await tick();
    expect([...new Set(decode(sink.chunks).map((g) => g.cluster))]).toEqual([8, 9]);
    expect(queue.droppedClusters).toBe(1);
  });

  it('counts what clear() discards before the cluster a restart replays from as dropped', () => {
    const sink = new Sink(1);
    sink.paused = true;
    const queue = new ByteQueue({ maxBytes: 1_000_000 });
    queue.attach(sink);
    for (let c = 0; c < 5; c++) clusterItems(c, c === 3).forEach((i) => queue.push(i));
    queue.detach();
    queue.clear(3);
    // Cluster 0 was partly written before the stall; its two queued fragments and clusters 1–2 are lost.
    expect([queue.droppedClusters, queue.droppedBytes, queue.bytes]).toEqual([3, 8 * 4000, 0]);
  });

  it('reports congestion from half full and clears it when drained below a quarter', async () => {
    const flips: boolean[] = [];
    const sink = new Sink(1);
    sink.paused = true;
    const queue = new ByteQueue({ maxBytes: 40_000, onCongestion: (c) => flips.push(c) });
    queue.attach(sink);
    clusterItems(0, true).forEach((i) => queue.push(i));
    expect(queue.congested).toBe(false);
    [...clusterItems(1, false), ...clusterItems(2, false)].forEach((i) => queue.push(i));
    expect(queue.congested).toBe(true);
    sink.resume();
    await tick();
    await tick();
    expect(flips).toEqual([true, false]);
    expect(queue.droppedClusters).toBe(0);
  });

  it('ends the sink before the init segment of a new WebM stream and writes it into the next sink', async () => {
    const first = new Sink();
    const queue = new ByteQueue({ maxBytes: 64 * 1024 });
    queue.attach(first);
    const ended = new Promise((resolve) => first.on('finish', resolve));
    for (const item of clusterItems(0, true)) queue.push(item);
    const init: QueueItem = {
      data: Buffer.alloc(8, 0xee),
      cluster: INIT_CLUSTER,
      clusterStart: false,
      keyframe: false,
      arrivedAt: 0,
      newStream: true,
    };
    queue.push(init);
    for (const item of clusterItems(1, true)) queue.push(item);
    await ended;
    expect(queue.waitingForNewSink).toBe(true);
    expect(decode(first.chunks)).toEqual([0, 1, 2].map((fragment) => ({ cluster: 0, fragment })));
    const second = new Sink();
    queue.attach(second);
    await tick();
    expect(queue.waitingForNewSink).toBe(false);
    expect(second.chunks[0]!.equals(init.data)).toBe(true);
    expect(decode(second.chunks.slice(1))).toEqual([0, 1, 2].map((fragment) => ({ cluster: 1, fragment })));
  });

  it('never drops the init segment of a new WebM stream when it must make room', async () => {
    const sink = new Sink();
    sink.paused = true;
    const queue = new ByteQueue({ maxBytes: 30_000 });
    queue.attach(sink);
    for (const item of clusterItems(0, true)) queue.push(item);
    const init: QueueItem = {
      data: Buffer.alloc(8, 0xee),
      cluster: INIT_CLUSTER,
      clusterStart: false,
      keyframe: false,
      arrivedAt: 0,
      newStream: true,
    };
    queue.push(init);
    for (let c = 1; c <= 5; c++) for (const item of clusterItems(c, c % 2 === 1)) queue.push(item);
    expect(queue.droppedClusters).toBeGreaterThan(0);
    expect(queue.bytes).toBeLessThanOrEqual(30_000 + 8);
    sink.resume();
    await tick();
    expect(queue.waitingForNewSink).toBe(true);
    const next = new Sink();
    queue.attach(next);
    await tick();
    expect(next.chunks[0]!.equals(init.data)).toBe(true);
    // Decoding resumes at a keyframe Cluster after the init segment.
    expect(next.chunks[1]!.readUInt32BE(0) % 2).toBe(1);
  });
});
