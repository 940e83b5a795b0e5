import { snapshotParts, ViewerCounts } from './viewer-counts';

describe('viewer counts across instances', () => {
  it('sums the fresh snapshots of other instances and drops one that stops heartbeating', () => {
    let now = 0;
    const counts = new ViewerCounts(3000, () => now);
    counts.receive('a', { seq: 1, part: 0, parts: 1, counts: { r1: 2, r2: 1 } });
    counts.receive('b', { seq: 1, part: 0, parts: 1, counts: { r1: 5 } });
    expect(counts.remoteTotal('r1')).toBe(7);
    expect([...counts.remoteRooms()].sort()).toEqual(['r1', 'r2']);
    now = 2000;
    counts.receive('b', { seq: 2, part: 0, parts: 1, counts: { r1: 4 } }); // a goes silent
    expect(counts.remoteTotal('r1')).toBe(6);
    now = 3500;
    expect(counts.remoteTotal('r1')).toBe(4);
    expect(counts.remoteTotal('r2')).toBe(0);
    counts.forget('b');
    expect(counts.remoteTotal('r1')).toBe(0);
  });

  it('a snapshot in parts replaces the previous one once complete; junk counts are ignored', () => {
    const counts = new ViewerCounts(3000, () => 0);
    const mine = new Map(Array.from({ length: 250 }, (_, i) => [`r${i}`, i % 3] as [string, number]));
    const parts = snapshotParts(7, mine);
    expect(parts.map((p) => p.parts)).toEqual([2, 2]);
    counts.receive('a', parts[0]!);
    expect(counts.remoteTotal('r1')).toBe(0); // not complete yet
    counts.receive('a', parts[1]!);
    expect(counts.remoteTotal('r1')).toBe(1);
    expect(counts.remoteTotal('r0')).toBe(0);
    expect(counts.remoteTotal('r248')).toBe(2);
    counts.receive('a', { seq: 8, part: 0, parts: 1, counts: { r1: -5, r2: 1.5 } });
    expect(counts.remoteTotal('r1')).toBe(0);
    expect(counts.remoteTotal('r2')).toBe(0);
    expect(JSON.stringify(snapshotParts(1, new Map())[0])).toBe('{"seq":1,"part":0,"parts":1,"counts":{}}');
  });
});
