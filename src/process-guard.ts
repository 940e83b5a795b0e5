/**
 * The last line of defence: an error that escaped a handler (a bug reached by one connection's
 * input, a throwing timer, a promise nobody awaited) is logged and the process keeps serving,
 * instead of dropping every live publisher with it. Handlers are still expected to catch their own
 * errors; this only decides what a missed one costs.
 */

export interface ProcessGuardLog {
  error(message: string): void;
}

export interface ProcessGuardOptions {
  /** More escaped errors than this within `windowMs` mean the process itself is broken: exit 1. */
  maxErrors?: number;
  windowMs?: number;
  exit?: (code: number) => void;
}

/** Installs `uncaughtException` and `unhandledRejection` handlers; returns a function removing them. */
export function installProcessGuard(log: ProcessGuardLog, options: ProcessGuardOptions = {}): () => void {
  const { maxErrors = 100, windowMs = 60_000, exit = (code) => process.exit(code) } = options;
  const times: number[] = [];
  const record = (kind: string, err: unknown): void => {
    const now = Date.now();
    times.push(now);
    while ((times[0] ?? Number.POSITIVE_INFINITY) <= now - windowMs) times.shift();
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    log.error(`${kind} (the process keeps serving): ${text}`);
    if (times.length > maxErrors) {
      log.error(
        `${times.length} escaped errors within ${windowMs / 1000} s: exiting so a supervisor restarts the app`,
      );
      exit(1);
    }
  };
  const onException = (err: Error): void => record('uncaught exception', err);
  const onRejection = (reason: unknown): void => record('unhandled rejection', reason);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
