/**
 * Helpers of the WebM splitter's specs: reproducible random chunkings and bytes, a whole-input split
 * that records every event, and hand-built EBML elements.
 */
import { WebmSplitter } from '../../src/streams/pipeline/webm-splitter';
import type { EbmlFormatError } from '../../src/streams/pipeline/ebml';
import type { InitSegment, WebmCluster, WebmFragment } from '../../src/streams/pipeline/webm-types';

/** Deterministic PRNG (mulberry32) so every chunking is reproducible from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(seed: number, length: number): Buffer {
  const rnd = prng(seed);
  const buf = Buffer.alloc(length);
  for (let i = 0; i < length; i++) buf[i] = Math.floor(rnd() * 256);
  return buf;
}

export function randomChunks(data: Buffer, seed: number, maxChunk: number): Buffer[] {
  const rnd = prng(seed);
  const chunks: Buffer[] = [];
  for (let off = 0; off < data.length;) {
    // Mostly mid-sized chunks, sometimes tiny ones that split element headers.
    const size = rnd() < 0.2 ? 1 + Math.floor(rnd() * 12) : 1 + Math.floor(rnd() * maxChunk);
    chunks.push(data.subarray(off, off + size));
    off += size;
  }
  return chunks;
}

export interface SplitResult {
  init: InitSegment | undefined;
  clusters: WebmCluster[];
  fragments: WebmFragment[];
  errors: EbmlFormatError[];
  complete: boolean;
}

export function split(chunks: Buffer[], splitter = new WebmSplitter()): SplitResult {
  const result: SplitResult = { init: undefined, clusters: [], fragments: [], errors: [], complete: false };
  splitter.on('init', (init) => (result.init = init));
  splitter.on('cluster', (c) => result.clusters.push(c));
  splitter.on('fragment', (f) => result.fragments.push(f));
  splitter.on('error', (e) => result.errors.push(e));
  for (const chunk of chunks) splitter.push(chunk);
  result.complete = splitter.end();
  return result;
}

/** An EBML element with an 8-byte size field (or the unknown size). */
export function el(id: number, body: Buffer | number[] = [], unknownSize = false): Buffer {
  const idBytes: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) idBytes.unshift(v & 0xff);
  const size = Buffer.alloc(8);
  if (unknownSize) size.fill(0xff, 1);
  else size.writeBigUInt64BE(BigInt(Buffer.from(body).length));
  size[0] = 0x01;
  return Buffer.concat([Buffer.from(idBytes), size, Buffer.from(body)]);
}
