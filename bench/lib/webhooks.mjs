/** The webhook phase: signed Mux deliveries (the tests' signing) against the app, `inFlight` at once. */
import { Agent, request } from 'node:http';
import { cpuMark } from './proc.mjs';
import { max, percentile } from './stats.mjs';
import { support } from './support.mjs';

const { liveStreamEvent, prepareMux } = support('mux-webhooks');

/** `count` signed Mux deliveries (active/idle, newer each time) with `inFlight` at once. */
export async function runWebhooks(ctx, count, inFlight, warmup = 100) {
  const ids = [...ctx.mux.liveStreams.keys()].slice(0, 50);
  if (ids.length === 0) return { error: 'no live streams to address' };
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const { hostname, port } = new URL(ctx.app.url);
  const base = Date.now();
  const post = (i) => {
    const state = Math.floor(i / ids.length) % 2 === 0 ? 'active' : 'idle';
    const { body, headers } = prepareMux(liveStreamEvent(state, ids[i % ids.length], new Date(base + i)));
    const started = performance.now();
    return new Promise((resolve) => {
      const req = request(
        {
          agent,
          hostname,
          port,
          path: '/webhooks/mux',
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started }));
        },
      );
      req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
      req.end(body);
    });
  };
  const runMany = async (from, total) => {
    const results = [];
    let next = from;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < from + total) results.push(await post(next++));
      }),
    );
    return results;
  };
  await runMany(0, warmup);
  const a = cpuMark(ctx);
  const t0 = performance.now();
  const results = await runMany(warmup, count);
  const seconds = (performance.now() - t0) / 1000;
  const b = cpuMark(ctx);
  agent.destroy();
  const ok = results.filter((r) => r.status >= 200 && r.status < 300);
  const statuses = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const ms = results.map((r) => r.ms);
  return {
    deliveries: results.length,
    inFlight,
    seconds,
    perSecond: results.length / seconds,
    okPerSecond: ok.length / seconds,
    p50Ms: percentile(ms, 0.5),
    p99Ms: percentile(ms, 0.99),
    maxMs: max(ms),
    statuses,
    appCores: (b.app.cpu - a.app.cpu) / ((b.at - a.at) / 1000),
  };
}
