/**
 * A TLS front for a plain TCP service (nginx-rtmp), with a throwaway self-signed certificate made by
 * `openssl`: an RTMPS endpoint that proves whether FFmpeg verifies its peer.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { RtmpReceiver } from './rtmp-receiver';

export class TlsTerminator {
  /** Bytes of application data received from clients after their TLS handshake. */
  bytesReceived = 0;
  handshakes = 0;
  /** TCP connections made to it, whether or not their TLS handshake completed. */
  connections = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly dir: string,
    readonly port: number,
    /** The certificate (PEM file): also the CA a client must trust. */
    readonly certFile: string,
  ) {}

  /** Listens on 127.0.0.1 with a certificate for `localhost`, forwarding to 127.0.0.1:`targetPort`. */
  static async start(targetPort: number): Promise<TlsTerminator> {
    const dir = mkdtempSync(join(tmpdir(), 'vybzz-tls-'));
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    // prettier-ignore
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-keyout', keyFile, '-out', certFile,
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
    ], { stdio: 'ignore' });
    const ref: { self?: TlsTerminator } = {};
    const server = createServer(
      { key: readFileSync(keyFile), cert: readFileSync(certFile) },
      (client: TLSSocket) => {
        ref.self!.handshakes++;
        const upstream = connect(targetPort, '127.0.0.1');
        for (const s of [client, upstream]) {
          ref.self!.sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => {
            ref.self!.sockets.delete(s);
            client.destroy();
            upstream.destroy();
          });
        }
        client.on('data', (b: Buffer) => (ref.self!.bytesReceived += b.length));
        client.pipe(upstream);
        upstream.pipe(client);
      },
    );
    server.on('tlsClientError', () => undefined);
    server.on('connection', () => ref.self!.connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    ref.self = new TlsTerminator(server, dir, port, certFile);
    return ref.self;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * For the suite: nginx-rtmp behind a TlsTerminator, an rtmps:// endpoint on `tls.port` that records
 * what reaches it; `bind` receives both once started, and they stop after the suite.
 */
export function withRtmpsEndpoint(
  bind: (endpoint: { rtmp: RtmpReceiver; tls: TlsTerminator }) => void,
): void {
  let rtmp: RtmpReceiver | undefined;
  let tls: TlsTerminator | undefined;
  beforeAll(async () => {
    rtmp = await RtmpReceiver.start();
    tls = await TlsTerminator.start(rtmp.port);
    bind({ rtmp, tls });
  });
  afterAll(async () => {
    await tls?.stop();
    await rtmp?.stop(true);
  });
}
