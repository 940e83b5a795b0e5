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

/** Marker in a VOD folder whose post has not been recorded yet (dotfiles are not served). */
export const PENDING_MARKER = '.recording-pending.json';

export interface PendingRecording {
  assetId: string;
  providerStreamId: string;
  durationSec: number;
  endedAt: string;
}

/** The media duration recorded in `dir` (seconds), or null when it holds no segment. */
export async function recordedSeconds(dir: string): Promise<number | null> {
  const file = join(dir, HLS_PLAYLIST);
  if (!existsSync(file)) return null;
  return playlistDuration(await readFile(file, 'utf8'));
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
