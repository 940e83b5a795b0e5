/**
 * The FFmpeg processes an app runs, found in /proc: its descendants named ffmpeg. Descendants, not
 * children: the app forks FFmpeg through its session spawner (FFMPEG_SPAWNER=session).
 */
import { readFileSync, readdirSync } from 'node:fs';

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return []; // gone meanwhile
  }
}

function nameOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** PIDs of the live (not zombie) FFmpeg processes below `root` (default: this process), sorted. */
export function ffmpegDescendants(root = process.pid): number[] {
  const found: number[] = [];
  const stack = childrenOf(root);
  while (stack.length) {
    const pid = stack.pop()!;
    stack.push(...childrenOf(pid));
    if (nameOf(pid) === 'ffmpeg' && isRunning(pid)) found.push(pid);
  }
  return found.sort((a, b) => a - b);
}

/** The process exists and is not a zombie (ended, waiting for its parent or init to reap it). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** Whether the process has ended within `timeoutMs`. */
export async function endsWithin(pid: number, timeoutMs = 5000): Promise<boolean> {
  for (const until = Date.now() + timeoutMs; isRunning(pid);) {
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** The autogroup (scheduling group of a session) a process is in, e.g. `/autogroup-85`. */
export function autogroupOf(pid: number): string {
  return readFileSync(`/proc/${pid}/autogroup`, 'utf8').split(' ')[0] ?? '';
}
