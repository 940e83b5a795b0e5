/**
 * The media every publisher sends: a real Chromium MediaRecorder session (fake 720p camera + fake
 * microphone, H.264 + Opus, 250 ms timeslices) recorded once into bench/.cache/ by the tests' own
 * recorder (test/support/record-webm.ts), and kept with each chunk's length and arrival time.
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { support } from './support.mjs';

const { loadFixture, recordWebm, saveFixture } = support('record-webm');

export const MIME_TYPE = 'video/webm;codecs=h264,opus';

/**
 * The cached recording `<dir>/chromium-720p-<seconds>s.webm` (+ .chunks.json), recorded first when
 * missing or when `fresh` is set.
 */
export async function ensureRecording(dir, seconds, { fresh = false, log = console.log } = {}) {
  const name = `chromium-720p-${seconds}s`;
  let rec;
  try {
    if (!fresh) rec = loadFixture(name, dir);
  } catch {
    // not recorded yet
  }
  if (!rec) {
    log(`recording ${seconds} s of 720p H.264 + Opus with Chromium MediaRecorder …`);
    saveFixture(name, await recordWebm({ seconds, mimeType: MIME_TYPE }), dir);
    rec = loadFixture(name, dir);
  }
  return { webmPath: join(dir, `${name}.webm`), ...rec };
}

/** The recording `<base>.webm` + `<base>.chunks.json` (a committed fixture or a cached one). */
export const loadRecording = (base) => loadFixture(basename(base), dirname(base));

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
