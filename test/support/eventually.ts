/**
 * Waiting for something to become true: the one polling helper of the tests and of the bench
 * (which loads this file through bench/lib/ts-require.mjs).
 */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * Calls `check` every `everyMs` until it returns something truthy, and resolves with that. A check
 * that throws counts as "not yet"; on timeout the error names `what` and the last thing thrown.
 */
export async function eventually<T>(
  what: string,
  check: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why =
        lastError === undefined
          ? ''
          : `: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(everyMs);
  }
}

/** Like `eventually`, resolving with how long it took (ms); for latencies measured by polling. */
export async function timeUntil(what: string, check: () => boolean, timeoutMs = 10_000, everyMs = 5) {
  const start = performance.now();
  await eventually(what, check, timeoutMs, everyMs);
  return performance.now() - start;
}
