/**
 * The stand-in Mux API on loopback (as test/support/mux-standin.ts): Basic auth, JSON wrapped in
 * {"data": …}; enough of it for the app to create and complete live streams. It also signs webhook
 * deliveries the way Mux does (`mux-signature: t=<unix>,v1=<HMAC-SHA256(secret, "<t>.<body>")>`).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';

export const MUX_CREDENTIALS = {
  MUX_TOKEN_ID: 'bench-token-id',
  MUX_TOKEN_SECRET: 'bench-token-secret-0123456789',
  MUX_WEBHOOK_SIGNING_SECRET: 'bench-webhook-secret-abcdefghijklmnop',
};

const id = (n = 16) => randomBytes(n).toString('base64url').replace(/[-_]/g, 'x');

export class MuxStandin {
  static async start() {
    const s = new MuxStandin();
    s.server = createServer((req, res) => void s.handle(req, res));
    s.server.listen(0, '127.0.0.1');
    await once(s.server, 'listening');
    s.url = `http://127.0.0.1:${s.server.address().port}`;
    return s;
  }

  constructor() {
    this.liveStreams = new Map();
    this.completed = 0;
  }

  env(rtmpUrl) {
    return { ...MUX_CREDENTIALS, MUX_BASE_URL: this.url, MUX_RTMP_URL: rtmpUrl };
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  async handle(req, res) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? JSON.parse(raw) : {};
    const send = (status, payload) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const expected = `Basic ${Buffer.from(`${MUX_CREDENTIALS.MUX_TOKEN_ID}:${MUX_CREDENTIALS.MUX_TOKEN_SECRET}`).toString('base64')}`;
    if (req.headers.authorization !== expected)
      return send(401, { error: { type: 'unauthorized', messages: ['Unauthorized request'] } });
    const path = new URL(req.url ?? '/', this.url).pathname;
    let m;
    if (req.method === 'POST' && path === '/video/v1/live-streams') {
      const ls = {
        id: id(24),
        stream_key: randomBytes(18).toString('hex'),
        status: 'idle',
        playback_ids: (body.playback_policies ?? ['public']).map((policy) => ({ id: id(20), policy })),
        new_asset_settings: body.new_asset_settings,
        reconnect_window: body.reconnect_window ?? 60,
        latency_mode: body.latency_mode ?? 'standard',
        created_at: String(Math.floor(Date.now() / 1000)),
      };
      this.liveStreams.set(ls.id, ls);
      return send(201, { data: ls });
    }
    if (req.method === 'GET' && (m = /^\/video\/v1\/live-streams\/(\w+)$/.exec(path))) {
      const ls = this.liveStreams.get(m[1]);
      return ls
        ? send(200, { data: ls })
        : send(404, { error: { type: 'not_found', messages: ['Live stream not found'] } });
    }
    if (req.method === 'PUT' && (m = /^\/video\/v1\/live-streams\/(\w+)\/complete$/.exec(path))) {
      this.completed++;
      return send(200, { data: {} });
    }
    return send(404, { error: { type: 'not_found', messages: [`No route ${req.method} ${path}`] } });
  }
}

/** A signed Mux webhook delivery (body + headers) for a live stream state change. */
export function signedLiveStreamEvent(state, providerStreamId, createdAt) {
  const type = `video.live_stream.${state}`;
  const body = JSON.stringify({
    type,
    id: randomUUID(),
    created_at: createdAt.toISOString(),
    object: { type: 'live_stream', id: providerStreamId },
    environment: { name: 'Bench', id: 'env_bench' },
    data: { id: providerStreamId, status: state, stream_key: undefined },
    attempts: [],
    accessor_source: null,
    accessor: null,
    request_id: null,
  });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', MUX_CREDENTIALS.MUX_WEBHOOK_SIGNING_SECRET)
    .update(`${t}.${body}`)
    .digest('hex');
  return { body, headers: { 'content-type': 'application/json', 'mux-signature': `t=${t},v1=${v1}` } };
}
