import type { ChildProcess } from 'node:child_process';

/**
 * Every live FFmpeg child of this Node process. When Node exits (normally or via process.exit),
 * the remaining children are killed, so no FFmpeg outlives the app. (Should Node die from SIGKILL,
 * FFmpeg still sees EOF on its stdin and ends by itself.)
 */
const live = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
  live.clear();
}

export function registerChild(child: ChildProcess): void {
  if (!hooked) {
    hooked = true;
    process.once('exit', killAll);
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => {
    if (child.pid === undefined) live.delete(child);
  });
}

/** PIDs of the FFmpeg children still running (for health checks and tests). */
export function liveChildPids(): number[] {
  return [...live].map((c) => c.pid).filter((pid): pid is number => pid !== undefined);
}
