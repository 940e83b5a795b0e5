/** Indexing what a test has just built, with a clear failure where an item is missing. */

/**
 * The value a test has just looked up (a list's item, a map's entry, a regex group), or a failure that
 * names what was missing, instead of a TypeError a few lines on.
 */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`expected ${what}, found none`);
  return value;
}

/** Each item with the one after it: [xs[0], xs[1]], [xs[1], xs[2]], … (none for fewer than two). */
export function pairs<T>(xs: readonly T[]): [T, T][] {
  const out: [T, T][] = [];
  let before: { item: T } | undefined;
  for (const item of xs) {
    if (before) out.push([before.item, item]);
    before = { item };
  }
  return out;
}
