/**
 * What the local provider makes from a recording besides its HLS (issue 12): an MP4 download (a
 * remux: `-c copy -movflags +faststart`, nothing encoded again) and JPEG posters. Each is written
 * to a temporary name and renamed into place, so a reader never sees half a file; the HLS it is
 * made from is never touched.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HLS_PLAYLIST } from '../pipeline/ffmpeg-args';

/** A dotfile: /media never serves it (dotfiles are denied); GET /posts/:id/download does, to whom may. */
export const DOWNLOAD_FILE = '.download.mp4';
export const POSTER_FILE = 'poster.jpg';

function ffmpeg(ffmpegPath: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      ffmpegPath,
      ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args],
      { timeout: timeoutMs },
      (err, _out, stderr) =>
        err ? reject(new Error(`ffmpeg: ${stderr.trim().split('\n').at(-1) ?? err.message}`)) : resolve(),
    );
  });
}

async function intoPlace(tmp: string, file: string, make: () => Promise<void>): Promise<void> {
  try {
    await make();
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The recording in `dir` as one MP4 (DOWNLOAD_FILE); kept when it exists already. */
export async function makeDownload(ffmpegPath: string, dir: string): Promise<string> {
  const file = join(dir, DOWNLOAD_FILE);
  if (existsSync(file)) return file;
  const tmp = join(dir, `.${DOWNLOAD_FILE}.tmp`);
  // prettier-ignore
  await intoPlace(tmp, file, () => ffmpeg(ffmpegPath, [
    '-i', join(dir, HLS_PLAYLIST),
    '-map', '0:v:0', '-map', '0:a:0?',
    '-c', 'copy',
    '-movflags', '+faststart',
    '-f', 'mp4', tmp,
  ], 30 * 60_000));
  return file;
}

/** A 640-pixel-wide JPEG of the frame at `atSec` (or the first) of `input`, written to `dir/poster.jpg`. */
export async function makePoster(ffmpegPath: string, input: string, dir: string, atSec = 1): Promise<string> {
  const file = join(dir, POSTER_FILE);
  const tmp = join(dir, `.${POSTER_FILE}.tmp`);
  // prettier-ignore
  await intoPlace(tmp, file, () => ffmpeg(ffmpegPath, [
    ...(atSec > 0 ? ['-ss', String(atSec)] : []),
    '-i', input,
    '-frames:v', '1',
    '-vf', 'scale=640:-2',
    '-q:v', '4',
    '-f', 'mjpeg', tmp,
  ], 20_000));
  return file;
}

/** The newest segment the live playlist in `dir` lists, or null. */
export async function newestSegment(dir: string): Promise<string | null> {
  try {
    const lines = (await readFile(join(dir, HLS_PLAYLIST), 'utf8'))
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    const last = lines.at(-1);
    return last && /^[\w.-]+$/.test(last) ? join(dir, last) : null;
  } catch {
    return null;
  }
}

/** The MP4 of the local recording `assetId` under DATA_DIR (null for an id that is not one). */
export function localDownloadPath(dataDir: string, assetId: string): string | null {
  return /^local_asset_[\w-]+$/.test(assetId) ? join(dataDir, 'media', 'vod', assetId, DOWNLOAD_FILE) : null;
}
