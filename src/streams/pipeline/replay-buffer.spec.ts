import type { QueueItem } from './byte-queue';
import { ReplayBuffer } from './replay-buffer';

function item(cluster: number, keyframe: boolean, bytes = 100): QueueItem {
  return { data: Buffer.alloc(bytes), cluster, clusterStart: true, keyframe, arrivedAt: 0 };
}

/** Adds clusters 0..n-1, 300 ms apart, a keyframe cluster every 2 s (every 7th, as Chrome does). */
function fill(buffer: ReplayBuffer, n: number, bytes = 100): void {
  for (let c = 0; c < n; c++) buffer.add(item(c, c % 7 === 0, bytes), c * 300);
}

describe('ReplayBuffer', () => {
  it('waits for a keyframe cluster before keeping anything', () => {
    const buffer = new ReplayBuffer(10_000);
    buffer.add(item(0, false), 0);
    expect([buffer.bytes, buffer.startMs, buffer.snapshot()]).toEqual([0, null, []]);
  });

  it('replays from the keyframe cluster at or before what FFmpeg has output', () => {
    const buffer = new ReplayBuffer(1_000_000);
    fill(buffer, 20); // keyframe clusters at 0, 2100 and 4200 ms
    expect(buffer.startMs).toBe(0);
    buffer.trim(2000);
    expect(buffer.startMs).toBe(0);
    buffer.trim(2100);
    expect(buffer.startMs).toBe(2100);
    buffer.trim(5000);
    expect(buffer.startMs).toBe(4200);
    expect(buffer.snapshot().map((i) => i.cluster)).toEqual([14, 15, 16, 17, 18, 19]);
    expect(buffer.bytes).toBe(600);
    buffer.trim(99_999); // never drops the group being output
    expect(buffer.startMs).toBe(4200);
  });

  it('drops the oldest groups past its bound and empties when one group alone is too big', () => {
    const buffer = new ReplayBuffer(1500);
    fill(buffer, 20);
    expect(buffer.bytes).toBeLessThanOrEqual(1500);
    expect(buffer.startMs).toBe(2100);
    const small = new ReplayBuffer(500);
    fill(small, 6);
    expect([small.bytes, small.startMs]).toEqual([0, null]);
    fill(small, 8);
    expect(small.snapshot().map((i) => i.cluster)).toEqual([7]);
  });
});
