/**
 * For the unit tests: the item a test has just made (a fake socket, a recorder, a trace entry), or a
 * failure that names what was missing, instead of a TypeError a few lines on.
 */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`expected ${what}, found none`);
  return value;
}
