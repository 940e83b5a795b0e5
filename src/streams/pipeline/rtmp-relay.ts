/**
 * Keeps the stream key off FFmpeg's command line (issue 16, item 3). FFmpeg publishes to
 * `rtmp://127.0.0.1:<port>/<app>/<placeholder>`, a random placeholder as long as the key; this relay
 * accepts that one connection (only from the FFmpeg it was told about), connects to the real
 * endpoint (`rtmps://`: TLS verified in Node against Node's CA store plus the optional CA file) and
 * forwards bytes both ways, putting the key in place of the placeholder (see KeySplicer). FFmpeg is
 * told the real tcUrl, so the server sees exactly what FFmpeg would have sent it directly.
 *
 * Backpressure: when the upstream socket does not take data, the relay stops reading from FFmpeg
 * (FFmpeg blocks, stops reading its stdin, the pipeline's queue drops); `stalledForMs()` tells the
 * stall watchdog how long the upstream has been stuck, so kernel buffers cannot hide a stall.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { readFileSync } from 'node:fs';
import { type Server, type Socket, connect as tcpConnect, createServer } from 'node:net';
import { connect as tlsConnect, rootCertificates } from 'node:tls';
import { KeySplicer } from './key-splicer';
import { loopbackPeerIs } from './loopback-peer';

export interface RelayTarget {
  /** `rtmp://host[:port]/app/KEY` or `rtmps://…`. */
  url: string;
  /** PEM file of an extra CA an `rtmps://` endpoint's certificate may chain to. */
  caFile?: string | null;
}

interface ParsedTarget {
  secure: boolean;
  host: string;
  port: number;
  /** The path without the key, e.g. `/app/`. */
  pathPrefix: string;
  key: string;
  /** What FFmpeg would have sent as tcUrl for the real URL. */
  tcUrl: string;
}

/** Splits an RTMP(S) URL the way FFmpeg 5.1's rtmpproto.c does for its tcUrl and play path. */
export function parseRelayTarget(url: string): ParsedTarget {
  const m = /^(rtmps?):\/\/([^/]+)(\/.*)$/i.exec(url);
  if (!m) throw new Error('not an rtmp:// or rtmps:// URL');
  const proto = m[1]!.toLowerCase();
  const u = new URL(`${proto}://${m[2]}`);
  const secure = proto === 'rtmps';
  const port = u.port ? Number(u.port) : secure ? 443 : 1935;
  const path = m[3]!;
  const cut = path.lastIndexOf('/');
  const key = path.slice(cut + 1);
  if (!key) throw new Error('the URL has no stream key');
  const segments = path.slice(1).split('/');
  // FFmpeg: /app/key → app "app"; /a/b/…/key → app "a/b".
  const app = segments.length <= 2 ? segments[0] : `${segments[0]}/${segments[1]}`;
  return {
    secure,
    host: u.hostname,
    port,
    pathPrefix: path.slice(0, cut + 1),
    key,
    tcUrl: `${proto}://${u.hostname}:${port}/${app}`,
  };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function placeholderFor(key: string): string {
  return [...randomBytes(key.length)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

interface RtmpRelayEvents {
  /** Something was refused or failed; the message never contains the key. */
  warn: [string];
}

export class RtmpRelay extends EventEmitter<RtmpRelayEvents> {
  /** What FFmpeg is given instead of the real URL. */
  readonly localUrl: string;
  readonly tcUrl: string;
  /** Why the relayed connection ended, if it failed (never contains the key). */
  lastError: string | null = null;
  /** Bytes written into the upstream socket. */
  upstreamBytes = 0;
  refused = 0;
  private client: Socket | undefined;
  private upstream: Socket | undefined;
  private expectedPid: number | undefined;
  private waitingSince = 0;
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly target: ParsedTarget,
    private readonly caFile: string | null,
    private readonly placeholder: string,
    readonly port: number,
  ) {
    super();
    this.localUrl = `rtmp://127.0.0.1:${port}${target.pathPrefix}${placeholder}`;
    this.tcUrl = target.tcUrl;
    server.on('connection', (socket) => void this.onConnection(socket));
    server.on('error', (err) => this.fail(`relay listener: ${err.message}`));
  }

  /** Listens on 127.0.0.1 (a free port) for one connection to `target`. */
  static async open(target: RelayTarget): Promise<RtmpRelay> {
    const parsed = parseRelayTarget(target.url);
    const server = createServer({ pauseOnConnect: true, noDelay: true });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new RtmpRelay(server, parsed, target.caFile ?? null, placeholderFor(parsed.key), port);
  }

  /** Accept only a connection held by this process (the FFmpeg just started). */
  expectPeer(pid: number | undefined): void {
    this.expectedPid = pid;
  }

  /** How long the upstream has not taken data while some waits (ms); 0 when it keeps up. */
  stalledForMs(now = performance.now()): number {
    return this.waitingSince ? now - this.waitingSince : 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    this.client?.destroy();
    this.upstream?.destroy();
  }

  private async onConnection(socket: Socket): Promise<void> {
    socket.on('error', () => undefined);
    const from = socket.remotePort ?? 0;
    const ok =
      !this.closed &&
      !this.client &&
      this.expectedPid !== undefined &&
      (await loopbackPeerIs(this.expectedPid, from, this.port).catch(() => false)) !== false;
    if (!ok || this.closed || this.client) {
      this.refused++;
      this.emit('warn', `refused a connection from 127.0.0.1:${from} (not the FFmpeg it waits for)`);
      socket.destroy();
      return;
    }
    this.client = socket;
    this.server.close(); // one connection per FFmpeg
    this.connectUpstream(socket);
  }

  private connectUpstream(client: Socket): void {
    const { secure, host, port } = this.target;
    const upstream = secure
      ? tlsConnect({
          host,
          port,
          servername: host,
          ca: this.caFile ? [...rootCertificates, readFileSync(this.caFile, 'utf8')] : undefined,
        })
      : tcpConnect({ host, port });
    this.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.setTimeout(10_000, () => this.fail(`upstream ${host}:${port}: no answer for 10 s`));
    upstream.once(secure ? 'secureConnect' : 'connect', () => {
      upstream.setTimeout(0);
      this.pipe(client, upstream);
    });
    upstream.on('error', (err: Error) => this.fail(`upstream ${host}:${port}: ${err.message}`));
    upstream.on('close', () => this.close());
    client.on('close', () => this.close());
  }

  private pipe(client: Socket, upstream: Socket): void {
    const splicer = new KeySplicer(Buffer.from(this.placeholder), Buffer.from(this.target.key));
    client.on('data', (chunk: Buffer) => {
      const out = splicer.push(chunk);
      if (splicer.windowPassed && splicer.replaced === 0)
        return this.fail('the local peer never sent the placeholder: refused');
      this.upstreamBytes += out.length;
      if (out.length && !upstream.write(out)) {
        client.pause();
        if (!this.waitingSince) this.waitingSince = performance.now();
      }
    });
    upstream.on('drain', () => {
      this.waitingSince = 0;
      client.resume();
    });
    client.on('end', () => upstream.end(splicer.flush()));
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.resume();
  }

  private fail(reason: string): void {
    if (this.closed) return;
    this.lastError = reason;
    this.emit('warn', reason);
    this.close();
  }
}
