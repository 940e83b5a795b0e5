/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WebmBoundaries } from './webm-boundaries';

// A real MediaRecorder recording (Chromium, H.264 + Opus), kept by the server's tests.
const file = new Uint8Array(readFileSync(new URL('../../../test/fixtures/h264-360p.webm', import.meta.url)));

function allCuts(chunks: Uint8Array[]): number[] {
  const b = new WebmBoundaries();
  const cuts: number[] = [];
  for (const c of chunks) {
    b.push(c);
    for (let at = b.cutAtOrAfter((cuts.at(-1) ?? -1) + 1); at !== null; at = b.cutAtOrAfter(at + 1))
      cuts.push(at);
  }
  expect(b.broken).toBe(false);
  return cuts;
}

describe('WebmBoundaries', () => {
  it('finds the element boundaries inside Clusters, whatever the chunking', () => {
    const whole = allCuts([file]);
    expect(whole.length).toBeGreaterThan(100);
    // every cut is followed by a Cluster, a SimpleBlock, a BlockGroup, a Timestamp or the end
    const ids = new Set([0x1f, 0xa3, 0xa0, 0xe7]);
    for (const at of whole) if (at < file.length) expect(ids.has(file[at]!)).toBe(true);
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < file.length;) {
      const n = 1 + Math.floor(rnd() * 6000);
      chunks.push(file.subarray(at, at + n));
      at += n;
    }
    expect(allCuts(chunks)).toEqual(whole);
  });

  it('answers null until the element in progress is complete', () => {
    const b = new WebmBoundaries();
    b.push(file.subarray(0, 5000));
    const cut = b.cutAtOrAfter(4990);
    expect(cut === null || cut <= 5000).toBe(true);
    expect(b.cutAtOrAfter(5001)).toBeNull();
  });

  it('reads the encoded video size from the Tracks element, whatever the chunking', () => {
    const hd = new Uint8Array(
      readFileSync(new URL('../../../test/fixtures/h264-720p.webm', import.meta.url)),
    );
    const whole = new WebmBoundaries();
    whole.push(file);
    expect(whole.videoSize).toEqual({ width: 640, height: 360 });
    // byte by byte through the initialization segment: unknown until Tracks is complete, then known
    const b = new WebmBoundaries();
    let knownAt = -1;
    for (let at = 0; at < 2000 && knownAt < 0; at++) {
      b.push(hd.subarray(at, at + 1));
      if (b.videoSize) knownAt = at + 1;
    }
    expect(knownAt).toBeGreaterThan(30);
    expect(b.videoSize).toEqual({ width: 1280, height: 720 });
    b.push(hd.subarray(knownAt));
    expect(b.broken).toBe(false);
    expect(b.cutAtOrAfter(knownAt)).not.toBeNull();
  });

  it('gives up (broken) on bytes that are not WebM', () => {
    const b = new WebmBoundaries();
    b.push(new Uint8Array([0, 0, 0, 0]));
    expect(b.broken).toBe(true);
    expect(b.cutAtOrAfter(0)).toBeNull();
  });
});
