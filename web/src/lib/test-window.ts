/**
 * For unit tests in node: TanStack's query-core polls (refetchInterval) only in a browser, which it
 * recognises by `window` when it loads; import this before it.
 */
const g = globalThis as { window?: unknown };
g.window ??= globalThis;
