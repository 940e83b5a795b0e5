/**
 * The media every publisher sends: a real Chromium MediaRecorder session (fake 720p camera + fake
 * microphone, H.264 + Opus, 250 ms timeslices), recorded once into bench/.cache/ with playwright-core
 * exactly as test/support/record-webm.ts does, and kept with each chunk's length and arrival time.
 */
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const MIME_TYPE = 'video/webm;codecs=h264,opus';

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

/** Records `seconds` of Chromium MediaRecorder output; returns {chunks, arrivalMs}. */
export async function recordWebm(seconds) {
  const o = {
    seconds,
    mimeType: MIME_TYPE,
    width: 1280,
    height: 720,
    frameRate: 30,
    videoBitsPerSecond: 2_500_000,
    keyFrameIntervalMs: 2000,
    timesliceMs: 250,
  };
  const { chromium } = await import('playwright-core');
  const server = createServer(
    (_q, res) => (res.writeHead(200, { 'content-type': 'text/html' }), res.end(PAGE)),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
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
    const byIndex = new Map();
    let t0 = 0;
    await page.exposeFunction('__chunk', (n, b64) =>
      byIndex.set(n, { data: Buffer.from(b64, 'base64'), at: performance.now() - t0 }),
    );
    await page.goto(`http://localhost:${server.address().port}/`);
    t0 = performance.now();
    const count = await page.evaluate((opts) => globalThis.record(opts), o);
    const chunks = [];
    const arrivalMs = [];
    for (let i = 0; i < count; i++) {
      const c = byIndex.get(i);
      if (!c) throw new Error(`chunk ${i} of ${count} never reached Node`);
      chunks.push(c.data);
      arrivalMs.push(Math.round(c.at));
    }
    return { chunks, arrivalMs };
  } finally {
    await browser.close();
    server.close();
  }
}

/**
 * The cached recording `<dir>/chromium-720p-<seconds>s.webm` (+ .chunks.json), recorded first when
 * missing or when `fresh` is set.
 */
export async function ensureRecording(dir, seconds, { fresh = false, log = console.log } = {}) {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `chromium-720p-${seconds}s`);
  if (fresh || !existsSync(`${base}.webm`) || !existsSync(`${base}.chunks.json`)) {
    log(`recording ${seconds} s of 720p H.264 + Opus with Chromium MediaRecorder …`);
    const rec = await recordWebm(seconds);
    writeFileSync(`${base}.webm`, Buffer.concat(rec.chunks));
    writeFileSync(
      `${base}.chunks.json`,
      JSON.stringify({
        mimeType: MIME_TYPE,
        chunkLengths: rec.chunks.map((c) => c.length),
        arrivalMs: rec.arrivalMs,
      }) + '\n',
    );
  }
  return { webmPath: `${base}.webm`, indexPath: `${base}.chunks.json`, ...loadRecording(base) };
}

export function loadRecording(base) {
  const data = readFileSync(`${base}.webm`);
  const index = JSON.parse(readFileSync(`${base}.chunks.json`, 'utf8'));
  const chunks = [];
  let off = 0;
  for (const len of index.chunkLengths) {
    chunks.push(data.subarray(off, off + len));
    off += len;
  }
  if (off !== data.length) throw new Error(`${base}: index covers ${off} of ${data.length} bytes`);
  return { mimeType: index.mimeType, data, chunks, arrivalMs: index.arrivalMs };
}

/** How many leading chunks make up the first `seconds` (by arrival time). */
export function chunkCountFor(rec, seconds) {
  const limit = rec.arrivalMs[0] + seconds * 1000;
  let n = 0;
  while (n < rec.chunks.length && rec.arrivalMs[n] <= limit) n++;
  return n;
}

/** Writes the first `count` chunks as a file (the source a level's recordings are compared with). */
export function writePrefix(rec, count, path) {
  writeFileSync(path, Buffer.concat(rec.chunks.slice(0, count)));
  return path;
}
