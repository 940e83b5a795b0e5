/**
 * A stand-in for Mux's Video API on loopback, speaking its wire format: Basic auth with the token id
 * and secret, JSON answers wrapped in {"data": …}, Mux's error shape. The real @mux/mux-node client
 * talks to it through its baseURL. It can also deliver signed webhooks to the app, as Mux does.
 * The tests and the bench (through bench/lib/ts-require.mjs) both use it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { once } from 'node:events';
import { MUX_WEBHOOK_SECRET, muxEvent, muxSignature } from './mux-webhooks';

export interface StandinLiveStream {
  id: string;
  stream_key: string;
  status: 'idle' | 'active' | 'disabled';
  playback_ids: { id: string; policy: 'public' | 'signed' }[];
  new_asset_settings?: unknown;
  reconnect_window: number;
  latency_mode: string;
  created_at: string;
  completed: boolean;
  simulcast_targets: StandinSimulcastTarget[];
}

export interface StandinSimulcastTarget {
  id: string;
  url: string;
  stream_key?: string;
  passthrough?: string;
  status: 'idle' | 'starting' | 'broadcasting' | 'errored';
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorized: boolean;
  body: unknown;
}

export const MUX_TEST_CREDENTIALS = {
  MUX_TOKEN_ID: 'test-token-id',
  MUX_TOKEN_SECRET: 'test-token-secret-0123456789',
  MUX_WEBHOOK_SIGNING_SECRET: MUX_WEBHOOK_SECRET,
};

const id = (n = 16) => randomBytes(n).toString('base64url').replace(/[-_]/g, 'x');

export class MuxStandin {
  readonly liveStreams = new Map<string, StandinLiveStream>();
  readonly requests: RecordedRequest[] = [];
  /** When set, the next API calls fail with this status (simulating a Mux outage). */
  failWith: number | null = null;
  private server!: Server;
  url = '';

  static async start(): Promise<MuxStandin> {
    const s = new MuxStandin();
    s.server = createServer((req, res) => void s.handle(req, res));
    s.server.listen(0, '127.0.0.1');
    await once(s.server, 'listening');
    const addr = s.server.address() as { port: number };
    s.url = `http://127.0.0.1:${addr.port}`;
    return s;
  }

  env(rtmpUrl: string): Record<string, string> {
    return { ...MUX_TEST_CREDENTIALS, MUX_BASE_URL: this.url, MUX_RTMP_URL: rtmpUrl };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** POSTs a Mux-signed webhook to the app; returns the HTTP status. */
  async deliver(
    appUrl: string,
    type: string,
    data: Record<string, unknown>,
    opts: { eventId?: string; createdAt?: Date } = {},
  ) {
    const body = JSON.stringify(muxEvent(type, data, { id: opts.eventId, createdAt: opts.createdAt }));
    const res = await fetch(`${appUrl}/webhooks/mux`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'mux-signature': muxSignature(body) },
      body,
    });
    return res.status;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body: unknown = raw ? JSON.parse(raw) : null;
    const expected =
      'Basic ' +
      Buffer.from(`${MUX_TEST_CREDENTIALS.MUX_TOKEN_ID}:${MUX_TEST_CREDENTIALS.MUX_TOKEN_SECRET}`).toString(
        'base64',
      );
    const authorized = req.headers.authorization === expected;
    const path = new URL(req.url ?? '/', this.url).pathname;
    this.requests.push({ method: req.method ?? '', path, authorized, body });
    const send = (status: number, payload?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    const error = (status: number, type: string, message: string) =>
      send(status, { error: { type, messages: [message] } });
    if (!authorized) return error(401, 'unauthorized', 'Unauthorized request');
    if (this.failWith) return error(this.failWith, 'internal_error', 'Simulated outage');

    // The path's capture groups when the method and pattern match, else null.
    const route = (method: string, pattern: RegExp): [string, string] | null => {
      const m = req.method === method ? pattern.exec(path) : null;
      return m ? [m[1] ?? '', m[2] ?? ''] : null;
    };
    // The live stream a call names, or undefined once Mux's 404 has been sent.
    const found = (streamId: string): StandinLiveStream | undefined => {
      const ls = this.liveStreams.get(streamId);
      if (!ls) error(404, 'not_found', 'Live stream not found');
      return ls;
    };
    // Mux: simulcast targets can only be added or removed while the live stream is idle (else 400).
    const idle = (streamId: string, verb: 'created' | 'deleted'): StandinLiveStream | undefined => {
      const ls = found(streamId);
      if (!ls || ls.status === 'idle') return ls;
      error(400, 'invalid_parameters', `Simulcast targets can only be ${verb} when the live stream is idle`);
      return undefined;
    };

    let r: [string, string] | null;
    if (route('POST', /^\/video\/v1\/live-streams$/)) {
      const b = (body ?? {}) as Record<string, unknown>;
      const ls: StandinLiveStream = {
        id: id(24),
        stream_key: randomBytes(18).toString('hex'),
        status: 'idle',
        playback_ids: ((b.playback_policies as string[] | undefined) ?? ['public']).map((policy) => ({
          id: id(20),
          policy: policy as 'public',
        })),
        new_asset_settings: b.new_asset_settings,
        reconnect_window: (b.reconnect_window as number | undefined) ?? 60,
        latency_mode: (b.latency_mode as string | undefined) ?? 'standard',
        created_at: String(Math.floor(Date.now() / 1000)),
        completed: false,
        simulcast_targets: [],
      };
      this.liveStreams.set(ls.id, ls);
      return send(201, { data: ls });
    }
    if ((r = route('GET', /^\/video\/v1\/live-streams\/(\w+)$/))) {
      const ls = found(r[0]);
      if (!ls) return;
      return send(200, { data: ls });
    }
    if ((r = route('POST', /^\/video\/v1\/live-streams\/(\w+)\/reset-stream-key$/))) {
      // Mux: a new stream_key at once (the old one stops working), the live stream in the answer.
      const ls = found(r[0]);
      if (!ls) return;
      ls.stream_key = randomBytes(18).toString('hex');
      return send(201, { data: ls });
    }
    if ((r = route('PUT', /^\/video\/v1\/live-streams\/(\w+)\/complete$/))) {
      const ls = found(r[0]);
      if (!ls) return;
      ls.completed = true;
      return send(200, { data: {} });
    }
    if ((r = route('POST', /^\/video\/v1\/live-streams\/(\w+)\/simulcast-targets$/))) {
      const ls = idle(r[0], 'created');
      if (!ls) return;
      const b = (body ?? {}) as Record<string, unknown>;
      if (typeof b.url !== 'string' || !/^(rtmps?|srt):\/\//.test(b.url))
        return error(400, 'invalid_parameters', 'url is invalid');
      const target: StandinSimulcastTarget = {
        id: id(24),
        url: b.url,
        ...(typeof b.stream_key === 'string' ? { stream_key: b.stream_key } : {}),
        ...(typeof b.passthrough === 'string' ? { passthrough: b.passthrough } : {}),
        status: 'idle',
      };
      ls.simulcast_targets.push(target);
      return send(201, { data: target });
    }
    if ((r = route('DELETE', /^\/video\/v1\/live-streams\/(\w+)\/simulcast-targets\/(\w+)$/))) {
      const ls = idle(r[0], 'deleted');
      if (!ls) return;
      const targetId = r[1];
      const i = ls.simulcast_targets.findIndex((x) => x.id === targetId);
      if (i < 0) return error(404, 'not_found', 'Simulcast target not found');
      ls.simulcast_targets.splice(i, 1);
      res.writeHead(204);
      res.end();
      return;
    }
    return error(404, 'not_found', `No route ${req.method} ${path}`);
  }
}
