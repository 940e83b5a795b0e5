import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type Socket, connect, createServer } from 'node:net';
import { KeySplicer } from './key-splicer';
import { RtmpRelay, parseRelayTarget } from './rtmp-relay';

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
