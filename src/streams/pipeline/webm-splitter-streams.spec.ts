import { loadFixture } from '../../../test/support/record-webm';
import { el, randomChunks, split } from '../../../test/support/webm-split';
import { WebmSplitter } from './webm-splitter';
import type { InitSegment, WebmFragment } from './webm-types';

describe('WebmSplitter media time and new WebM streams on one input', () => {
  const first = loadFixture('h264-720p');
  const second = loadFixture('vp8-720p');

  function lastBlockMs(data: Buffer): number {
    let max = 0;
    const s = new WebmSplitter();
    s.on('fragment', () => (max = Math.max(max, s.mediaMs)));
    s.push(data);
    s.end();
    return max;
  }

  it('reports the highest block time parsed so far: never backwards, ending near the recording’s length', () => {
    const s = new WebmSplitter();
    const seen: number[] = [];
    let lastCluster = 0;
    s.on('fragment', (f) => (lastCluster = f.timestampMs));
    for (const chunk of first.chunks) {
      s.push(chunk);
      seen.push(s.mediaMs);
    }
    seen.slice(1).forEach((t, i) => expect(t).toBeGreaterThanOrEqual(seen[i]!));
    // Blocks after a Cluster's Timestamp add their relative time: more than the last Cluster start.
    expect(s.mediaMs).toBeGreaterThan(lastCluster);
    expect(s.mediaMs).toBeLessThan(lastCluster + 1000);
    const spanMs = first.arrivalMs.at(-1)! - first.arrivalMs[0]!;
    expect(Math.abs(s.mediaMs - spanMs)).toBeLessThan(1000);
    expect(s.segments).toBe(1);
  });

  it('reads BlockGroup timecodes as well as SimpleBlock ones', () => {
    const init = split([first.data]).init!.data;
    const videoTrack = split([first.data]).init!.tracks.find((t) => t.kind === 'video')!.number;
    const block = el(0xa1, [0x80 | videoTrack, 0x01, 0xf4, 0x00, 1, 2, 3]); // +500 ms
    const s = new WebmSplitter();
    s.push(Buffer.concat([init, el(0x1f43b675, [...el(0xe7, [0x07, 0xd0]), ...el(0xa0, block)])])); // 2000 ms
    s.end();
    expect(s.mediaMs).toBe(2500);
  });

  it.each([
    ['as recorded', 0],
    ['in random chunks across the boundary', 17],
  ])(
    'continues with a new EBML header after Clusters (%s): a second init, Clusters numbered on',
    (_, seed) => {
      const both = Buffer.concat([first.data, second.data]);
      const chunks = seed ? randomChunks(both, seed, 5000) : [...first.chunks, ...second.chunks];
      const inits: InitSegment[] = [];
      const mediaAtInit: number[] = [];
      const fragments: WebmFragment[] = [];
      const s = new WebmSplitter();
      s.on('init', (i) => {
        inits.push(i);
        mediaAtInit.push(s.mediaMs);
      });
      s.on('fragment', (f) => fragments.push(f));
      s.on('error', (e) => {
        throw e;
      });
      for (const c of chunks) s.push(c);
      expect(s.end()).toBe(true);
      expect(inits.map((i) => [i.segment, i.tracks.find((t) => t.kind === 'video')!.codecId])).toEqual([
        [1, 'V_MPEG4/ISO/AVC'],
        [2, 'V_VP8'],
      ]);
      expect(s.segments).toBe(2);
      // The media time starts again with the new stream.
      expect(mediaAtInit[1]).toBe(0);
      expect(s.mediaMs).toBe(lastBlockMs(second.data));
      // Every byte is passed on once, in order: init, its clusters, the second init, its clusters.
      const ref1 = split([first.data]);
      const ref2 = split([second.data]);
      const firstBytes = ref1.clusters.reduce((n, c) => n + c.data.length, 0);
      let sent = 0;
      const out: Buffer[] = [inits[0]!.data];
      for (const f of fragments) {
        if (sent === firstBytes) out.push(inits[1]!.data);
        out.push(f.data);
        sent += f.data.length;
      }
      expect(Buffer.concat(out).equals(both)).toBe(true);
      const clusterStarts = fragments.filter((f) => f.clusterStart);
      expect(clusterStarts.map((f) => f.cluster)).toEqual(
        [...ref1.clusters, ...ref2.clusters].map((_, i) => i),
      );
      expect(clusterStarts[ref1.clusters.length]!.keyframe).toBe(true);
    },
  );

  it('continues after a Segment of known size ends, too', () => {
    const ref = split([first.data]);
    const initData = ref.init!.data;
    const segmentAt = initData.indexOf(Buffer.from([0x18, 0x53, 0x80, 0x67]));
    const body = Buffer.concat([initData.subarray(segmentAt + 12), ...ref.clusters.map((c) => c.data)]);
    const sized = Buffer.concat([initData.subarray(0, segmentAt), el(0x18538067, body)]);
    const inits: InitSegment[] = [];
    const s = new WebmSplitter();
    s.on('init', (i) => inits.push(i));
    s.push(sized);
    s.push(second.data);
    expect(s.end()).toBe(true);
    expect(inits.map((i) => i.segment)).toEqual([1, 2]);
  });
});
