/** Small statistics helpers shared by the bench. */

export function percentile(values, q) {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export const mean = (values) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
export const max = (values) => (values.length ? Math.max(...values) : null);
export const MiB = 1024 * 1024;
export const round = (x, digits = 2) =>
  x === null || x === undefined || Number.isNaN(x) ? null : Number(x.toFixed(digits));

/**
 * The q-quantile of a Prometheus histogram from the difference of two scrapes (`before`, `after`:
 * parsed /metrics), interpolated linearly inside the bucket. Returns null without observations.
 */
export function histogramQuantile(name, before, after, q) {
  const buckets = [];
  const re = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\}$`);
  for (const [k, v] of Object.entries(after)) {
    const m = re.exec(k);
    if (!m) continue;
    const le = m[1] === '+Inf' ? Infinity : Number(m[1]);
    buckets.push({ le, count: v - (before[k] ?? 0) });
  }
  buckets.sort((a, b) => a.le - b.le);
  const total = buckets.at(-1)?.count ?? 0;
  if (!total) return null;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return prevLe;
      const inBucket = b.count - prevCount;
      return prevLe + (b.le - prevLe) * (inBucket ? (rank - prevCount) / inBucket : 1);
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

/** Observations counted by a histogram between two scrapes. */
export function histogramCount(name, before, after) {
  return (after[`${name}_count`] ?? 0) - (before[`${name}_count`] ?? 0);
}
