/** What Linux /proc tells about the app under test (bench/storm.mjs); NaN where it cannot tell. */
import { readFileSync } from 'node:fs';
import { support } from './support.mjs';

/**
 * The FFmpeg processes `pid` runs now: its descendants named ffmpeg (the app forks them itself, or
 * through its session spawner with FFMPEG_SPAWNER=session). The tests' helper serves here too.
 */
export const ffmpegChildren = (pid) => support('ffmpeg-processes').ffmpegDescendants(pid);

/** The app's main thread: [ms on a CPU, ms runnable but waiting for one] (Linux schedstat). */
export function threadTimes(pid) {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return [run / 1e6, wait / 1e6];
  } catch {
    return [NaN, NaN];
  }
}
