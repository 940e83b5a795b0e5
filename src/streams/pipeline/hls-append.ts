/** Continuing an HLS recording with a new FFmpeg (a restart, a new WebM stream, a reconnect). */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HLS_PLAYLIST } from './ffmpeg-args';

/** Total media duration of an HLS playlist (sum of #EXTINF), or null when it has no segment. */
export function playlistDuration(m3u8: string): number | null {
  const durations = [...m3u8.matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Number(m[1]));
  return durations.length ? Math.round(durations.reduce((a, b) => a + b, 0) * 100) / 100 : null;
}

/**
 * #EXTINF counts video; the last segment's audio may run on a few frames past it. Starting the next
 * part this much later keeps every stream's timestamps increasing (a gap this short is inaudible).
 */
export const APPEND_MARGIN_SEC = 0.25;

/**
 * Where a new FFmpeg appending to the playlist in `dir` starts its timestamps (seconds): after
 * everything listed, so the whole recording's timestamps keep increasing across the discontinuity
 * (players, ffprobe's duration and a remux see one timeline). null: nothing to append to.
 */
export function hlsAppendOffset(dir: string): number | null {
  const file = join(dir, HLS_PLAYLIST);
  if (!existsSync(file)) return null;
  const listed = playlistDuration(readFileSync(file, 'utf8'));
  return listed === null ? 0 : listed + APPEND_MARGIN_SEC;
}

/**
 * Ends the playlist in `dir` (#EXT-X-ENDLIST, once): FFmpeg runs with omit_endlist so that a quality
 * step or a restart does not end the live playlist for its viewers; the pipeline's stop ends it.
 */
export function endHlsPlaylist(dir: string): void {
  const file = join(dir, HLS_PLAYLIST);
  if (!existsSync(file)) return;
  if (!readFileSync(file, 'utf8').includes('#EXT-X-ENDLIST')) appendFileSync(file, '#EXT-X-ENDLIST\n');
}
