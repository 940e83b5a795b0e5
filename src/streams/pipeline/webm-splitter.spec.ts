import { type Fixture, loadFixture } from '../../../test/support/record-webm';
import { randomBytes, randomChunks, split, el, type SplitResult } from '../../../test/support/webm-split';
import { EbmlFormatError } from './ebml';
import { WebmSplitter } from './webm-splitter';
import type { WebmFragment } from './webm-types';

describe.each(['h264-720p', 'vp8-720p'])('WebmSplitter on the %s fixture', (name) => {
  let fixture: Fixture;
  let reference: SplitResult;

  beforeAll(() => {
    fixture = loadFixture(name);
    reference = split([fixture.data]);
  });

  it('reads the init segment, the tracks and every cluster of an unchunked parse', () => {
    expect(reference.errors).toEqual([]);
    expect(reference.complete).toBe(true);
    const init = reference.init!;
    expect([...init.data.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
    expect(fixture.data.indexOf(Buffer.from([0x1f, 0x43, 0xb6, 0x75]))).toBe(init.data.length);
    const video = name.startsWith('h264') ? 'V_MPEG4/ISO/AVC' : 'V_VP8';
    expect(init.tracks.map((t) => [t.kind, t.codecId]).sort()).toEqual([
      ['audio', 'A_OPUS'],
      ['video', video],
    ]);
    // Init + clusters reproduce the recording byte for byte.
    expect(Buffer.concat([init.data, ...reference.clusters.map((c) => c.data)]).equals(fixture.data)).toBe(
      true,
    );
    expect(reference.clusters.length).toBeGreaterThan(10);
    reference.clusters.forEach((c, i) => expect(c.cluster).toBe(i));
  });

  it('flags keyframe clusters: the first one and then one every ~2 s', () => {
    const keyframes = reference.clusters.filter((c) => c.keyframe).map((c) => c.timestampMs);
    expect(reference.clusters[0]!.keyframe).toBe(true);
    expect(keyframes.length).toBeGreaterThanOrEqual(3);
    for (const [i, t] of keyframes.slice(1).entries()) {
      expect(t - keyframes[i]!).toBeGreaterThan(1800);
      expect(t - keyframes[i]!).toBeLessThan(2200);
    }
    // Non-keyframe clusters exist (MediaRecorder starts one per timeslice).
    expect(reference.clusters.some((c) => !c.keyframe)).toBe(true);
  });

  it('gives byte-identical results for the recorded chunk boundaries and for 40 random chunkings', () => {
    const chunkings = [fixture.chunks];
    for (let seed = 1; seed <= 40; seed++) {
      chunkings.push(randomChunks(fixture.data, seed, [16, 700, 4096, 65536][seed % 4]!));
    }
    for (const chunks of chunkings) {
      const got = split(chunks);
      expect(got.errors).toEqual([]);
      expect(got.init!.data).toEqual(reference.init!.data);
      expect(got.clusters.length).toBe(reference.clusters.length);
      got.clusters.forEach((c, i) => {
        const ref = reference.clusters[i]!;
        expect([c.keyframe, c.timestampMs, c.data.length]).toEqual([
          ref.keyframe,
          ref.timestampMs,
          ref.data.length,
        ]);
        expect(c.data.equals(ref.data)).toBe(true);
      });
      // The streamed fragments carry the same bytes, in order, each tagged with its cluster.
      expect(Buffer.concat([got.init!.data, ...got.fragments.map((f) => f.data)]).equals(fixture.data)).toBe(
        true,
      );
      for (const f of got.fragments) expect(f.keyframe).toBe(reference.clusters[f.cluster]!.keyframe);
      const starts = got.fragments.filter((f) => f.clusterStart).map((f) => f.cluster);
      expect(starts).toEqual(reference.clusters.map((c) => c.cluster));
    }
  });

  it('forwards data before a cluster ends (no waiting for the next cluster)', () => {
    const fragments: WebmFragment[] = [];
    const splitter = new WebmSplitter();
    splitter.on('fragment', (f) => fragments.push(f));
    let forwarded = 0;
    let received = 0;
    for (const chunk of fixture.chunks) {
      splitter.push(chunk);
      received += chunk.length;
      forwarded = reference.init!.data.length + fragments.reduce((n, f) => n + f.data.length, 0);
      // All but the tail element the chunk cut in half has been passed on.
      expect(received - forwarded).toBeLessThan(64 * 1024);
    }
    expect(splitter.bufferedBytes).toBeLessThan(64 * 1024);
  });
});

describe('WebmSplitter on bad input', () => {
  const fixture = loadFixture('h264-720p');
  const init = split([fixture.data]).init!.data;
  const clusterHeader = el(0x1f43b675, [], true);
  const timestamp = el(0xe7, [0]);
  const audioBlock = (n: number): Buffer => el(0xa3, [0x81, 0, 0, 0x80, ...Buffer.alloc(n)]);

  function expectOneBoundedError(
    chunks: Buffer[],
    limits = { maxInitBytes: 64 * 1024, maxClusterBytes: 256 * 1024 },
  ) {
    const splitter = new WebmSplitter(limits);
    let maxBuffered = 0;
    const errors: Error[] = [];
    splitter.on('error', (e) => errors.push(e));
    splitter.on('cluster', () => undefined);
    for (const chunk of chunks) {
      splitter.push(chunk);
      maxBuffered = Math.max(maxBuffered, splitter.bufferedBytes);
    }
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(EbmlFormatError);
    expect(splitter.failed).toBe(true);
    expect(splitter.bufferedBytes).toBe(0);
    expect(maxBuffered).toBeLessThanOrEqual(Math.max(limits.maxInitBytes, limits.maxClusterBytes) + 4096);
    return errors[0]!;
  }

  it('rejects random bytes', () => {
    const garbage = randomBytes(7, 1 << 20);
    expectOneBoundedError(randomChunks(garbage, 3, 4096));
  });

  it('rejects garbage after a valid init segment and cluster start', () => {
    const garbage = randomBytes(11, 1 << 20);
    expectOneBoundedError(randomChunks(Buffer.concat([init, clusterHeader, timestamp, garbage]), 5, 4096));
  });

  it('rejects an element claiming an absurd size without waiting for its bytes', () => {
    const absurd = Buffer.from([0xa3, 0x01, 0x00, 0x10, 0, 0, 0, 0, 0]); // SimpleBlock of 2^44 bytes
    const err = expectOneBoundedError([init, clusterHeader, timestamp, absurd]);
    expect(err.message).toMatch(/limit/);
  });

  it('rejects a cluster that grows past the limit, with or without cluster listeners', () => {
    const blocks = Array.from({ length: 400 }, () => audioBlock(1000));
    const err = expectOneBoundedError([init, clusterHeader, timestamp, ...blocks]);
    expect(err.message).toMatch(/Cluster exceeds/);
    const streaming = new WebmSplitter({ maxClusterBytes: 256 * 1024 });
    const errors: Error[] = [];
    streaming.on('error', (e) => errors.push(e));
    for (const chunk of [init, clusterHeader, timestamp, ...blocks]) streaming.push(chunk);
    expect(errors).toHaveLength(1);
  });

  it('rejects an oversized or unknown-size element before the first cluster', () => {
    const ebmlHeader = init.subarray(0, init.indexOf(Buffer.from([0x18, 0x53, 0x80, 0x67])));
    const segment = Buffer.from([0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    const hugeTracks = Buffer.from([0x16, 0x54, 0xae, 0x6b, 0x18, 0, 0, 0]); // 4-byte size: 128 MiB
    expect(expectOneBoundedError([ebmlHeader, segment, hugeTracks]).message).toMatch(/too large/);
    const unknownTracks = el(0x1654ae6b, [], true);
    expect(expectOneBoundedError([ebmlHeader, segment, unknownTracks]).message).toMatch(/unknown size/);
  });

  it('rejects a second Segment inside one stream, a Segment without its EBML header and a cluster before Tracks', () => {
    const segmentAt = init.indexOf(Buffer.from([0x18, 0x53, 0x80, 0x67]));
    expect(expectOneBoundedError([fixture.data, init.subarray(segmentAt)]).message).toMatch(/second Segment/);
    expect(expectOneBoundedError([init, init.subarray(segmentAt)]).message).toMatch(/second Segment/);
    const ebmlHeader = init.subarray(0, init.indexOf(Buffer.from([0x18, 0x53, 0x80, 0x67])));
    const segment = el(0x18538067, [], true);
    expect(expectOneBoundedError([ebmlHeader, segment, clusterHeader]).message).toMatch(/before Tracks/);
  });

  it('ignores input after an error and throws when nobody listens for errors', () => {
    const splitter = new WebmSplitter();
    // (An unhandled 'error' event throws; jest's realm makes it a wrapped Error.)
    expect(() => splitter.push(Buffer.from('not webm at all'))).toThrow(/not WebM/);
    expect(() => splitter.push(fixture.data)).not.toThrow();
    expect(splitter.end()).toBe(false);
  });

  it('treats a cut-off last element as incomplete at end()', () => {
    const result = split([fixture.data.subarray(0, fixture.data.length - 10)]);
    expect(result.errors).toEqual([]);
    expect(result.complete).toBe(false);
  });
});
