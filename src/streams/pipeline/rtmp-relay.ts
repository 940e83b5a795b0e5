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
import { type Server, type Socket, connect as tcpConnect, createServer } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { KeySplicer } from './key-splicer';
import { loopbackPeerIs } from './loopback-peer';
import { relaySecureContext } from './relay-tls';

export interface RelayTarget {
  /** `rtmp://host[:port]/app/KEY` or `rtmps://…`. */
  url: string;
  /** PEM file of an extra CA an `rtmps://` endpoint's certificate may chain to. */
  caFile?: string | null;
  /**
   * Give up (close both sides, `reason` says why) when the upstream has not taken data for this long.
   * For restream targets: FFmpeg's tee then drops that one output (onfail=ignore) instead of blocking.
   */
  giveUpAfterStallMs?: number;
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
  /** The same, short, as a creator reads it ("connection refused"); null while nothing failed. */
  reason: string | null = null;
  /** Bytes written into the upstream socket. */
  upstreamBytes = 0;
  refused = 0;
  private client: Socket | undefined;
  private upstream: Socket | undefined;
  private expectedPid: number | undefined;
  private waitingSince = 0;
  private stallTimer: NodeJS.Timeout | undefined;
  private finishTimer: NodeJS.Timeout | undefined;
  /** The TCP socket under `upstream` (the same socket for rtmp://). */
  private raw: Socket | undefined;
  private closed = false;
  private clientEnded = false;

  private constructor(
    private readonly server: Server,
    private readonly target: ParsedTarget,
    private readonly caFile: string | null,
    private readonly giveUpAfterStallMs: number,
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
    const giveUp = target.giveUpAfterStallMs ?? 0;
    return new RtmpRelay(server, parsed, target.caFile ?? null, giveUp, placeholderFor(parsed.key), port);
  }

  /** Accept only a connection held by this process (the FFmpeg just started). */
  expectPeer(pid: number | undefined): void {
    this.expectedPid = pid;
  }

  /** How long the upstream has not taken data while some waits (ms); 0 when it keeps up. */
  stalledForMs(now = performance.now()): number {
    return this.waitingSince ? now - this.waitingSince : 0;
  }

  /**
   * `finish`: FFmpeg ended its connection cleanly; the upstream delivers what the relay still holds,
   * then closes (at most 10 s). `abort` (FFmpeg was killed or crashed, the pipeline gave up): the
   * upstream is reset at once, so the receiver never gets media a dead FFmpeg left queued in the
   * relay's socket buffers (a frozen receiver would otherwise replay it after it thaws and keep the
   * stream name busy while a restarted FFmpeg publishes: "Already publishing").
   */
  close(how: 'abort' | 'finish' = 'abort'): void {
    clearTimeout(this.stallTimer);
    this.server.close();
    this.client?.destroy();
    if (how === 'finish' && this.clientEnded && this.upstream && !this.upstream.destroyed) {
      if (this.closed) return;
      this.closed = true;
      this.finishTimer = setTimeout(() => this.abortUpstream(), 10_000);
      this.finishTimer.unref();
      return;
    }
    this.closed = true;
    this.abortUpstream();
  }

  /** Resolves once nothing more of this relay reaches the receiver (its upstream closed, or none). */
  settled(): Promise<void> {
    const up = this.upstream;
    if (!up || up.destroyed) return Promise.resolve();
    return new Promise((resolve) => up.once('close', () => resolve()));
  }

  private abortUpstream(): void {
    clearTimeout(this.finishTimer);
    const raw = this.raw;
    if (raw && !raw.destroyed) {
      if (raw.connecting) raw.destroy();
      else raw.resetAndDestroy(); // RST: the kernel drops what is still queued
    }
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
    const raw = tcpConnect({ host, port });
    const upstream = secure
      ? tlsConnect({ socket: raw, servername: host, secureContext: relaySecureContext(this.caFile) })
      : raw;
    this.raw = raw;
    this.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.setTimeout(10_000, () =>
      this.fail(`upstream ${host}:${port}: no answer for 10 s`, 'no answer within 10 s'),
    );
    upstream.once(secure ? 'secureConnect' : 'connect', () => {
      upstream.setTimeout(0);
      this.pipe(client, upstream);
    });
    const onError = (err: NodeJS.ErrnoException) =>
      this.fail(`upstream ${host}:${port}: ${err.message}`, shortReason(err));
    upstream.on('error', onError);
    if (raw !== upstream) raw.on('error', onError);
    upstream.on('close', () =>
      this.clientEnded
        ? this.close('finish')
        : this.fail(`upstream ${host}:${port} closed the connection`, 'the server closed the connection'),
    );
    client.on('close', () => this.close(this.clientEnded ? 'finish' : 'abort'));
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
        if (this.giveUpAfterStallMs > 0 && !this.stallTimer)
          this.stallTimer = setTimeout(() => {
            const s = Math.round(this.giveUpAfterStallMs / 1000);
            this.fail(`upstream took no data for ${s} s: given up`, `the server took no data for ${s} s`);
          }, this.giveUpAfterStallMs);
      }
    });
    upstream.on('drain', () => {
      this.waitingSince = 0;
      clearTimeout(this.stallTimer);
      this.stallTimer = undefined;
      client.resume();
    });
    client.on('end', () => {
      this.clientEnded = true;
      upstream.end(splicer.flush());
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.resume();
  }

  private fail(detail: string, reason = detail): void {
    if (this.closed) return;
    this.lastError = detail;
    this.reason = reason;
    this.emit('warn', detail);
    this.close();
  }
}

/** A socket error as a creator reads it. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ECONNRESET: 'the server reset the connection',
  ETIMEDOUT: 'no answer',
};

function shortReason(err: NodeJS.ErrnoException): string {
  const known = REASONS[err.code ?? ''];
  if (known) return known;
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO/i.test(err.code ?? ''))
    return `the TLS certificate check failed (${err.message})`;
  return err.message;
}
