import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type Socket, connect, createServer } from 'node:net';
import { KeySplicer } from './key-splicer';
import { RtmpRelay, parseRelayTarget } from './rtmp-relay';
import { trustedCas } from './relay-tls';
import tls, { rootCertificates } from 'node:tls';
import { TlsTerminator } from '../../../test/support/tls-terminator';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('KeySplicer', () => {
  it('puts the key in place of a placeholder split across reads, holding back only the prefix', () => {
    const s = new KeySplicer(Buffer.from('PLACEHOLD1'), Buffer.from('realkey-01'));
    const a = s.push(Buffer.from('xxPLACE'));
    expect(a.toString()).toBe('xx');
    const b = s.push(Buffer.from('HOLD1yyPLA'));
    expect(b.toString()).toBe('realkey-01yy');
    expect(Buffer.concat([s.push(Buffer.from('CEHOLD1')), s.flush()]).toString()).toBe('realkey-01');
    expect(s.replaced).toBe(2);
  });
});

describe('parseRelayTarget', () => {
  it('derives the tcUrl FFmpeg would send for the real URL', () => {
    expect(parseRelayTarget('rtmps://global-live.mux.com/app/abc')).toMatchObject({
      secure: true,
      port: 443,
      key: 'abc',
      pathPrefix: '/app/',
      tcUrl: 'rtmps://global-live.mux.com:443/app',
    });
    expect(parseRelayTarget('rtmp://127.0.0.1:1935/app/k').tcUrl).toBe('rtmp://127.0.0.1:1935/app');
  });
});

describe('trustedCas', () => {
  it("trusts Node's store, the system bundle when it exists, and the extra CA file", () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-'));
    const sys = join(dir, 'system.crt');
    const extra = join(dir, 'private.crt');
    writeFileSync(sys, 'SYSTEM PEM');
    writeFileSync(extra, 'PRIVATE PEM');
    expect(trustedCas(extra, sys)).toEqual([...rootCertificates, 'SYSTEM PEM', 'PRIVATE PEM']);
    expect(trustedCas(null, join(dir, 'missing.crt'))).toEqual([...rootCertificates]);
  });
});

describe('RtmpRelay', () => {
  it('refuses a connection that is not from the FFmpeg it waits for, and never opens the upstream', async () => {
    let upstreamConnections = 0;
    const upstream = createServer((s: Socket) => {
      upstreamConnections++;
      s.destroy();
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const port = (upstream.address() as { port: number }).port;
    const other = spawn('sleep', ['5']);
    const relay = await RtmpRelay.open({ url: `rtmp://127.0.0.1:${port}/app/secretkey123` });
    relay.expectPeer(other.pid);
    const warnings: string[] = [];
    relay.on('warn', (w) => warnings.push(w));
    try {
      expect(relay.localUrl).not.toContain('secretkey123');
      const c = connect(relay.port, '127.0.0.1');
      c.on('error', () => undefined);
      await once(c, 'close');
      expect(relay.refused).toBe(1);
      expect(upstreamConnections).toBe(0);
      expect(warnings.join('\n')).toMatch(/refused a connection/);
      expect(warnings.join('\n')).not.toContain('secretkey123');
    } finally {
      relay.close();
      other.kill();
      upstream.close();
    }
  });
});

describe('RtmpRelay with its own process as the peer', () => {
  async function upstreamServer() {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    return { server, port: (server.address() as { port: number }).port, accepted };
  }

  async function relayedClient(port: number, key: string) {
    const relay = await RtmpRelay.open({ url: `rtmp://127.0.0.1:${port}/app/${key}` });
    relay.expectPeer(process.pid);
    const placeholder = relay.localUrl.slice(relay.localUrl.lastIndexOf('/') + 1);
    const c = connect(relay.port, '127.0.0.1');
    c.on('error', () => undefined);
    await once(c, 'connect');
    return { relay, c, placeholder };
  }

  it('finish: what FFmpeg sent arrives whole, the key in place of the placeholder, then a clean end', async () => {
    const up = await upstreamServer();
    const { relay, c, placeholder } = await relayedClient(up.port, 'the-real-key-123');
    const [s] = await up.accepted;
    const got: Buffer[] = [];
    s.on('data', (d: Buffer) => got.push(d));
    c.end(Buffer.concat([Buffer.from(`publish ${placeholder} `), Buffer.alloc(200_000, 7)]));
    await once(s, 'end');
    relay.close('finish');
    const all = Buffer.concat(got);
    expect(all.length).toBe(8 + placeholder.length + 1 + 200_000);
    expect(all.subarray(0, 25).toString()).toBe('publish the-real-key-123 ');
    up.server.close();
  });

  it('abort: the upstream is reset (RST), so nothing a killed FFmpeg left queued is delivered later', async () => {
    const up = await upstreamServer();
    const { relay, c, placeholder } = await relayedClient(up.port, 'the-real-key-456');
    const [s] = await up.accepted;
    c.write(`publish ${placeholder} `);
    await once(s, 'data');
    const error = once(s, 'error') as Promise<[NodeJS.ErrnoException]>;
    relay.close('abort');
    const [err] = await error;
    expect(err.code).toBe('ECONNRESET');
    c.destroy();
    up.server.close();
  });

  it('reports a refused upstream as "connection refused", without the key', async () => {
    const up = await upstreamServer();
    up.server.close(); // nothing listens there any more
    const { relay, c } = await relayedClient(up.port, 'the-real-key-789');
    await once(c, 'close');
    expect(relay.reason).toBe('connection refused');
    expect(relay.lastError).not.toContain('the-real-key-789');
  });
});

describe('RtmpRelay to an rtmps:// upstream', () => {
  it('builds the TLS context once per CA file, not per connection (40–90 ms of the event loop each)', async () => {
    const sink = createServer((s: Socket) => s.resume());
    sink.listen(0, '127.0.0.1');
    await once(sink, 'listening');
    const terminator = await TlsTerminator.start((sink.address() as { port: number }).port);
    const made = jest.spyOn(tls, 'createSecureContext');
    try {
      for (let i = 0; i < 3; i++) {
        const relay = await RtmpRelay.open({
          url: `rtmps://localhost:${terminator.port}/app/the-key-${i}`,
          caFile: terminator.certFile,
        });
        relay.expectPeer(process.pid);
        const c = connect(relay.port, '127.0.0.1');
        c.on('error', () => undefined);
        await once(c, 'connect');
        const before = terminator.bytesReceived;
        c.write(`publish ${relay.localUrl.slice(relay.localUrl.lastIndexOf('/') + 1)} `);
        while (terminator.bytesReceived === before) await new Promise((r) => setTimeout(r, 10));
        relay.close();
        c.destroy();
      }
      expect(terminator.handshakes).toBe(3);
      expect(made).toHaveBeenCalledTimes(1);
    } finally {
      made.mockRestore();
      await terminator.stop();
      sink.close();
    }
  });
});
