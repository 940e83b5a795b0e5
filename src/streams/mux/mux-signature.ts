/**
 * The time half of Mux's `mux-signature` header (`t=<unix seconds>,v1=<hex>`). @mux/mux-node checks
 * the HMAC and refuses signatures older than 300 s, but accepts any future `t`: we bound that here.
 */

/** The header's `t` as @mux/mux-node reads it (the last `t=` wins); null when absent or not whole seconds. */
export function signatureTimestamp(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return null;
  let t: string | null = null;
  for (const part of value.split(',')) {
    const [key, val] = part.split('=');
    if (key === 't') t = val ?? '';
  }
  if (t === null || !/^\d{1,12}$/.test(t)) return null;
  return Number(t);
}

/** A signature dated more than `maxSkewSec` after `nowSec` was not made by a sender with a sane clock. */
export function isTooFarInFuture(t: number, nowSec: number, maxSkewSec: number): boolean {
  return t - nowSec > maxSkewSec;
}
