/**
 * Mux and Clerk webhook deliveries as the real senders make them: Mux's `mux-signature`
 * (`t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`) and Svix's standard-webhooks headers
 * (`v1,<base64 HMAC-SHA256(base64-decoded whsec secret, "<id>.<t>.<body>")>`), sent over plain HTTP
 * with a keep-alive agent so a test can hold many deliveries in flight.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { defined } from './indexing';

export const MUX_WEBHOOK_SECRET = 'mux-test-webhook-signing-secret-0123456789';

/** Settings that switch the app to the Mux provider (the API itself is never called by these tests). */
export function muxEnv(secret = MUX_WEBHOOK_SECRET): Record<string, string> {
  return {
    MUX_TOKEN_ID: 'test-token-id',
    MUX_TOKEN_SECRET: 'test-token-secret',
    MUX_WEBHOOK_SIGNING_SECRET: secret,
    MUX_BASE_URL: 'http://127.0.0.1:9',
  };
}

export const nowSec = () => Math.floor(Date.now() / 1000);

export function muxSignature(body: string, opts: { secret?: string; t?: number } = {}): string {
  const t = opts.t ?? nowSec();
  const v1 = createHmac('sha256', opts.secret ?? MUX_WEBHOOK_SECRET)
    .update(`${t}.${body}`)
    .digest('hex');
  return `t=${t},v1=${v1}`;
}

export interface MuxEventBody {
  type: string;
  id: string;
  created_at: string;
  object: { type: string; id: string };
  environment: { name: string; id: string };
  data: Record<string, unknown>;
  attempts: unknown[];
  accessor_source: null;
  accessor: null;
  request_id: null;
}

/** A Mux event envelope (the shape Mux POSTs), with a fresh event id unless one is given. */
export function muxEvent(
  type: string,
  data: Record<string, unknown>,
  opts: { id?: string; createdAt?: Date } = {},
): MuxEventBody {
  const objectType = type.split('.')[1] ?? 'unknown';
  return {
    type,
    id: opts.id ?? randomUUID(),
    created_at: (opts.createdAt ?? new Date()).toISOString().replace('Z', '000Z'),
    object: { type: objectType, id: String(data.id) },
    environment: { name: 'Test', id: 'env-test' },
    data,
    attempts: [],
    accessor_source: null,
    accessor: null,
    request_id: null,
  };
}

export const liveStreamEvent = (
  state: 'connected' | 'active' | 'disconnected' | 'idle' | 'disabled' | 'deleted',
  providerStreamId: string,
  createdAt = new Date(),
  id?: string,
) =>
  muxEvent(
    `video.live_stream.${state}`,
    { id: providerStreamId, status: state === 'deleted' || state === 'disabled' ? 'disabled' : state },
    { createdAt, id },
  );

export interface AssetSpec {
  assetId: string;
  liveStreamId: string;
  playbackId: string;
  durationSec: number;
}

export const assetEvent = (
  type: 'video.asset.ready' | 'video.asset.live_stream_completed',
  a: AssetSpec,
  createdAt = new Date(),
  id?: string,
) =>
  muxEvent(
    type,
    {
      id: a.assetId,
      status: 'ready',
      duration: a.durationSec,
      live_stream_id: a.liveStreamId,
      is_live: false,
      playback_ids: [{ id: a.playbackId, policy: 'public' }],
      mp4_support: 'none',
      master_access: 'none',
    },
    { createdAt, id },
  );

/** What the app answers a delivery: a receipt, or Nest's error shape (or text, if it is not JSON). */
export interface DeliveryBody {
  id?: string;
  result?: 'processed' | 'duplicate';
  statusCode?: number;
  message?: string | string[];
  error?: string;
}

export interface Delivery {
  status: number;
  body: DeliveryBody;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One POST with exact bytes and headers. */
export function post(
  url: string,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<Delivery> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: DeliveryBody = { message: text };
          try {
            parsed = JSON.parse(text) as DeliveryBody;
          } catch {
            // not JSON: keep the text as the message
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A Mux delivery of `event` (an object or exact text), signed unless `signature` says otherwise. */
export function deliverMux(
  url: string,
  event: object | string,
  opts: { signature?: string | null; t?: number; secret?: string } = {},
): Promise<Delivery> {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const sig = opts.signature === undefined ? muxSignature(body, opts) : opts.signature;
  return post(url, '/webhooks/mux', body, sig === null ? {} : { 'mux-signature': sig });
}

/** Runs `tasks` with at most `inFlight` at once; results in task order. */
export async function pool<T>(tasks: (() => Promise<T>)[], inFlight: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  const queue = tasks.entries(); // shared: each worker takes the next task
  const worker = async () => {
    for (const [i, task] of queue) results[i] = await task();
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, tasks.length) }, worker));
  return results;
}

/** Fisher–Yates with a seeded generator, so a failing order can be replayed. */
export function shuffle<T>(items: T[], seed: number): T[] {
  const a = [...items];
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [defined(a[j], `item ${j}`), defined(a[i], `item ${i}`)];
  }
  return a;
}

// ---- Clerk (Svix / standard webhooks) ----

export const newClerkWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export function svixHeaders(
  secret: string,
  body: string,
  opts: { id?: string; t?: number } = {},
): Record<string, string> {
  const id = opts.id ?? `msg_${randomBytes(12).toString('hex')}`;
  const t = opts.t ?? nowSec();
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const sig = createHmac('sha256', key).update(`${id}.${t}.${body}`).digest('base64');
  return { 'svix-id': id, 'svix-timestamp': String(t), 'svix-signature': `v1,${sig}` };
}

export function clerkUserEvent(
  type: 'user.updated' | 'user.deleted' | 'user.created',
  data: Record<string, unknown>,
) {
  return {
    type,
    object: 'event',
    timestamp: Date.now(),
    instance_id: 'ins_test',
    event_attributes: { http_request: { client_ip: '127.0.0.1', user_agent: 'test' } },
    data,
  };
}

/** What a load run sends: exact bodies and headers, signed beforehand. */
export interface PreparedDelivery {
  path: string;
  body: string;
  headers: Record<string, string>;
}

export const prepareMux = (event: object | string): PreparedDelivery => {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  return { path: '/webhooks/mux', body, headers: { 'mux-signature': muxSignature(body) } };
};

// Plain JS run in a worker thread: the sender gets its own event loop, as Mux is another machine.
const SENDER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, deliveries, inFlight } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
const send = (d) => new Promise((resolve) => {
  const req = http.request(url + d.path, { method: 'POST', agent, headers: {
    'content-type': 'application/json', 'content-length': Buffer.byteLength(d.body), ...d.headers } }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode));
  });
  req.on('error', () => resolve(0));
  req.end(d.body);
});
(async () => {
  const statuses = new Array(deliveries.length);
  let next = 0;
  const began = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < deliveries.length) { const i = next++; statuses[i] = await send(deliveries[i]); }
  }));
  parentPort.postMessage({ statuses, ms: performance.now() - began });
  agent.destroy();
})();
`;

/** Sends `deliveries` from a worker thread with `inFlight` at once; statuses in order and the elapsed time. */
export async function sendFromWorker(
  url: string,
  deliveries: PreparedDelivery[],
  inFlight: number,
): Promise<{ statuses: number[]; seconds: number }> {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(SENDER, { eval: true, workerData: { url, deliveries, inFlight } });
  try {
    const out = await new Promise<{ statuses: number[]; ms: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    return { statuses: out.statuses, seconds: out.ms / 1000 };
  } finally {
    await worker.terminate();
  }
}
