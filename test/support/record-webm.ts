/**
 * Records real Chromium MediaRecorder output (fake camera + fake microphone) and hands the chunks
 * back to Node exactly as the browser produced them, so tests see the same chunk boundaries a live
 * ingest socket would see.
 */
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { EbmlId, bufferReader, readElementHeader } from '../../src/streams/pipeline/ebml';
import { WebmSplitter } from '../../src/streams/pipeline/webm-splitter';
import type { WebmCluster } from '../../src/streams/pipeline/webm-types';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const FIXTURES_DIR = join(__dirname, '..', 'fixtures');

export interface RecordOptions {
  /** Length of the recording in seconds (wall clock, the fake camera runs in real time). */
  seconds: number;
  /** e.g. `video/webm;codecs=h264,opus` or `video/webm;codecs=vp8,opus`. */
  mimeType: string;
  width?: number;
  height?: number;
  frameRate?: number;
  videoBitsPerSecond?: number;
  /** Chromium's `videoKeyFrameIntervalDuration` (ms). */
  keyFrameIntervalMs?: number;
  /** `MediaRecorder.start(timeslice)`. */
  timesliceMs?: number;
  /** Called for every chunk as it arrives (for live feeding while recording). */
  onChunk?: (chunk: Buffer) => void;
}

export interface Recording {
  mimeType: string;
  /** The chunks in order, boundaries as MediaRecorder produced them. */
  chunks: Buffer[];
  /** Milliseconds since `start()` at which each chunk reached Node. */
  arrivalMs: number[];
}

export interface Fixture extends Recording {
  name: string;
  /** All chunks concatenated (the .webm file). */
  data: Buffer;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>record</title><body>
<script>
window.record = async (o) => {
  if (!MediaRecorder.isTypeSupported(o.mimeType)) throw new Error('unsupported ' + o.mimeType);
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: o.width, height: o.height, frameRate: o.frameRate }, audio: true });
  const rec = new MediaRecorder(stream, { mimeType: o.mimeType, videoBitsPerSecond: o.videoBitsPerSecond,
    videoKeyFrameIntervalDuration: o.keyFrameIntervalMs });
  let seq = 0;
  const pending = [];
  rec.ondataavailable = (e) => {
    if (e.data.size === 0) return;
    const n = seq++;
    pending.push(e.data.arrayBuffer().then((ab) => {
      const bytes = new Uint8Array(ab);
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      return window.__chunk(n, btoa(s));
    }));
  };
  const stopped = new Promise((r) => (rec.onstop = r));
  rec.start(o.timesliceMs);
  await new Promise((r) => setTimeout(r, o.seconds * 1000));
  rec.stop();
  await stopped;
  await Promise.all(pending);
  stream.getTracks().forEach((t) => t.stop());
  return seq;
};
</script>`;

async function servePage(): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(PAGE);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/** Records `seconds` of fake camera/microphone with MediaRecorder in headless Chromium. */
export async function recordWebm(options: RecordOptions): Promise<Recording> {
  const o = {
    width: 1280,
    height: 720,
    frameRate: 30,
    videoBitsPerSecond: 2_500_000,
    keyFrameIntervalMs: 2000,
    timesliceMs: 250,
    ...options,
  };
  // Loaded lazily so tests that only read fixtures do not load Playwright.
  const { chromium } = await import('playwright-core');
  const server = await servePage();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--use-fake-ui-for-media-stream',
      `--use-fake-device-for-media-stream=fps=${o.frameRate}`,
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage();
    const byIndex = new Map<number, Buffer>();
    const arrival = new Map<number, number>();
    let t0 = 0;
    await page.exposeFunction('__chunk', (n: number, b64: string) => {
      const chunk = Buffer.from(b64, 'base64');
      byIndex.set(n, chunk);
      arrival.set(n, performance.now() - t0);
      o.onChunk?.(chunk);
    });
    const { port } = server.address() as AddressInfo;
    // http://localhost is a secure context, so getUserMedia is allowed.
    await page.goto(`http://localhost:${port}/`);
    t0 = performance.now();
    const pageOptions = { ...o, onChunk: undefined };
    const count = await page.evaluate(
      (opts) => (window as unknown as { record(x: unknown): Promise<number> }).record(opts),
      pageOptions,
    );
    const chunks: Buffer[] = [];
    const arrivalMs: number[] = [];
    for (let i = 0; i < count; i++) {
      const c = byIndex.get(i);
      if (!c) throw new Error(`chunk ${i} of ${count} never reached Node`);
      chunks.push(c);
      arrivalMs.push(arrival.get(i) ?? 0);
    }
    return { mimeType: o.mimeType, chunks, arrivalMs };
  } finally {
    await browser.close();
    server.close();
  }
}

/** Writes `<name>.webm` and `<name>.chunks.json` (mime type + chunk lengths + arrival times). */
export function saveFixture(name: string, rec: Recording, dir = FIXTURES_DIR): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.webm`), Buffer.concat(rec.chunks));
  const index = {
    mimeType: rec.mimeType,
    chunkLengths: rec.chunks.map((c) => c.length),
    arrivalMs: rec.arrivalMs.map((t) => Math.round(t)),
  };
  writeFileSync(join(dir, `${name}.chunks.json`), JSON.stringify(index) + '\n');
}

/** Loads a committed fixture with its original chunk boundaries. */
export function loadFixture(name: string, dir = FIXTURES_DIR): Fixture {
  const data = readFileSync(join(dir, `${name}.webm`));
  const index = JSON.parse(readFileSync(join(dir, `${name}.chunks.json`), 'utf8')) as {
    mimeType: string;
    chunkLengths: number[];
    arrivalMs: number[];
  };
  const chunks: Buffer[] = [];
  let off = 0;
  for (const len of index.chunkLengths) {
    chunks.push(data.subarray(off, off + len));
    off += len;
  }
  if (off !== data.length) throw new Error(`fixture ${name}: index covers ${off} of ${data.length} bytes`);
  return { name, mimeType: index.mimeType, data, chunks, arrivalMs: index.arrivalMs };
}

/** Seconds from a recording's first chunk to its last: how long it takes to play back. */
export function recordingSeconds(rec: Pick<Recording, 'arrivalMs'>): number {
  const first = rec.arrivalMs[0];
  const last = rec.arrivalMs.at(-1);
  return first === undefined || last === undefined ? 0 : (last - first) / 1000;
}

/**
 * Plays a recording back into `push` with its recorded chunk spacing divided by `speed`, each chunk
 * as a fresh Buffer (as a socket delivers them). `onChunk` runs before each push with the chunk's
 * index and its time since the first chunk.
 */
export async function replayRecording(
  rec: Recording,
  push: (chunk: Buffer) => void,
  options: { speed?: number; onChunk?: (index: number, atMs: number) => void | Promise<void> } = {},
): Promise<void> {
  const speed = options.speed ?? 1;
  const start = performance.now();
  const t0 = rec.arrivalMs[0] ?? 0;
  for (const [i, chunk] of rec.chunks.entries()) {
    const atMs = (rec.arrivalMs[i] ?? t0) - t0;
    const wait = atMs / speed - (performance.now() - start);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await options.onChunk?.(i, atMs);
    push(Buffer.from(chunk));
  }
}

/** The committed fixtures and how they were made. `recordFixtures()` re-records all of them. */
export const FIXTURE_SPECS = {
  'h264-720p': { seconds: 9, mimeType: 'video/webm;codecs=h264,opus' },
  'vp8-720p': { seconds: 6, mimeType: 'video/webm;codecs=vp8,opus' },
  /** A lower rung of the quality ladder: a new WebM stream at another resolution on a live socket. */
  'h264-360p': {
    seconds: 5,
    mimeType: 'video/webm;codecs=h264,opus',
    width: 640,
    height: 360,
    videoBitsPerSecond: 600_000,
    keyFrameIntervalMs: 2000,
    timesliceMs: 250,
  },
} as const satisfies Record<string, RecordOptions>;

export type FixtureName = keyof typeof FIXTURE_SPECS;

export async function recordFixtures(dir = FIXTURES_DIR): Promise<void> {
  for (const [name, spec] of Object.entries(FIXTURE_SPECS)) {
    saveFixture(name, await recordWebm(spec), dir);
  }
}

export interface LoopedStream {
  /** The init segment, then one chunk per Cluster. */
  chunks: Buffer[];
  /** Media time (ms) of each chunk, for pacing. */
  mediaMs: number[];
  durationMs: number;
}

/**
 * A long stream made of a fixture repeated with shifted Cluster timestamps (each Cluster's Timestamp
 * element is rewritten), for tests that need minutes of valid WebM without recording them.
 */
export function loopFixture(fixture: Fixture, seconds: number): LoopedStream {
  const clusters: WebmCluster[] = [];
  const splitter = new WebmSplitter();
  splitter.on('cluster', (c) => clusters.push(c));
  splitter.push(fixture.data);
  splitter.end();
  const init = splitter.init;
  const lastCluster = clusters.at(-1);
  if (!init || !lastCluster) throw new Error(`fixture ${fixture.name} has no clusters`);
  // Leave room after the last Cluster so timestamps always increase across a loop boundary.
  const periodMs = Math.ceil(lastCluster.timestampMs / 1000) * 1000 + 1000;
  const out: LoopedStream = { chunks: [init.data], mediaMs: [0], durationMs: 0 };
  for (let loop = 0; out.durationMs < seconds * 1000; loop++) {
    for (const c of clusters) {
      const t = c.timestampMs + loop * periodMs;
      out.chunks.push(withClusterTimestamp(c.data, t));
      out.mediaMs.push(t);
    }
    out.durationMs = (loop + 1) * periodMs;
  }
  return out;
}

function withClusterTimestamp(cluster: Buffer, timestampMs: number): Buffer {
  const byteAt = bufferReader(cluster);
  const header = readElementHeader(byteAt, 0);
  const ts = header && readElementHeader(byteAt, header.headerLength);
  if (!header || !ts || ts.id !== EbmlId.Timestamp)
    throw new Error('Cluster does not start with a Timestamp');
  const value = Buffer.alloc(8);
  value.writeBigUInt64BE(BigInt(Math.round(timestampMs)));
  return Buffer.concat([
    cluster.subarray(0, header.headerLength),
    Buffer.from([0xe7, 0x88]),
    value,
    cluster.subarray(header.headerLength + ts.headerLength + ts.size),
  ]);
}
