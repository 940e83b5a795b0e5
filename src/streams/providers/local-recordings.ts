/**
 * The local provider's recordings on disk. A broadcast's live folder becomes a VOD folder in one
 * rename, before any database write, with a marker that stays until its post exists: media is never
 * deleted or lost because the database blinked, and an unfinished recording is finished later.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HLS_PLAYLIST } from '../pipeline/ffmpeg-args';
import { playlistDuration } from '../pipeline/hls-append';
import { partSeconds, videoSpan } from '../pipeline/ts-duration';

/** Marker in a VOD folder whose post has not been recorded yet (dotfiles are not served). */
export const PENDING_MARKER = '.recording-pending.json';

export interface PendingRecording {
  assetId: string;
  providerStreamId: string;
  durationSec: number;
  endedAt: string;
}

/**
 * The media duration recorded in `dir` (seconds), or null when it holds no segment: per part of the
 * playlist (between discontinuities) from its video timestamps, where the playlist's #EXTINF
 * under-reports each part's last segment; from #EXTINF where a segment cannot be read.
 */
export async function recordedSeconds(dir: string): Promise<number | null> {
  const file = join(dir, HLS_PLAYLIST);
  if (!existsSync(file)) return null;
  const m3u8 = await readFile(file, 'utf8');
  const listed = playlistDuration(m3u8);
  if (listed === null) return null;
  let total = 0;
  for (const part of m3u8.split('#EXT-X-DISCONTINUITY')) {
    const segments = part.split('\n').filter((l) => l.endsWith('.ts'));
    const head = segments[0];
    const tail = segments.at(-1);
    if (!head || !tail) continue;
    const read = async (name: string) =>
      videoSpan(await readFile(join(dir, name)).catch(() => Buffer.alloc(0)));
    const [first, last] = await Promise.all([read(head), read(tail)]);
    total += first && last ? partSeconds(first, last) : (playlistDuration(part) ?? 0);
  }
  return Math.round(total * 100) / 100;
}

/**
 * Turns a live folder into the VOD folder `vodRoot/<new asset id>` with a pending marker. Returns
 * null (and leaves the folder alone) when it holds no media; an empty leftover may then be removed.
 */
export async function finishLiveFolder(
  liveDir: string,
  vodRoot: string,
  providerStreamId: string,
  endedAt: Date,
): Promise<PendingRecording | null> {
  const durationSec = await recordedSeconds(liveDir);
  if (durationSec === null) return null;
  const playlistFile = join(liveDir, HLS_PLAYLIST);
  // A pipeline that was killed never wrote the end marker; the recording is complete all the same.
  if (!(await readFile(playlistFile, 'utf8')).includes('#EXT-X-ENDLIST'))
    await appendFile(playlistFile, '#EXT-X-ENDLIST\n');
  const pending: PendingRecording = {
    assetId: `local_asset_${randomUUID()}`,
    providerStreamId,
    durationSec,
    endedAt: endedAt.toISOString(),
  };
  await writeFile(join(liveDir, PENDING_MARKER), JSON.stringify(pending));
  await mkdir(vodRoot, { recursive: true });
  await rename(liveDir, join(vodRoot, pending.assetId));
  return pending;
}

/** VOD folders whose post was never recorded. */
export async function pendingRecordings(vodRoot: string): Promise<PendingRecording[]> {
  if (!existsSync(vodRoot)) return [];
  const found: PendingRecording[] = [];
  for (const assetId of await readdir(vodRoot)) {
    const marker = join(vodRoot, assetId, PENDING_MARKER);
    if (!existsSync(marker)) continue;
    try {
      found.push(JSON.parse(await readFile(marker, 'utf8')) as PendingRecording);
    } catch {
      // unreadable: the folder was renamed only after its marker was written, so this is damage
      // from outside; the media stays where it is for an operator to look at
    }
  }
  return found;
}

/** The recording's post exists: the marker goes. */
export async function markRecorded(vodRoot: string, assetId: string): Promise<void> {
  await rm(join(vodRoot, assetId, PENDING_MARKER), { force: true });
}
