/**
 * The RTMPS peer is verified (issue 16, item 2; since item 3 by the app's RTMP relay, which opens the
 * TLS connection so the key stays off FFmpeg's command line): pointed at a self-signed endpoint it refuses to
 * talk to it (the publisher is closed with 4500 and the endpoint never receives a byte of RTMP, so
 * never the stream key), and with MUX_RTMP_CA_FILE naming that endpoint's CA it publishes through it.
 */
import request from 'supertest';
import { startApp, type TestApp } from './support/app';
import { makeCreator } from './support/factories';
import { defined } from './support/indexing';
import { Publisher } from './support/ingest-client';
import { MuxStandin } from './support/mux-standin';
import { loadFixture } from './support/record-webm';
import type { RtmpReceiver } from './support/rtmp-receiver';
import { type TlsTerminator, withRtmpsEndpoint } from './support/tls-terminator';

const fx = loadFixture('h264-720p');

describe('RTMPS certificate verification (Mux provider, self-signed endpoint in front of nginx-rtmp)', () => {
  let mux: MuxStandin;
  let rtmp: RtmpReceiver;
  let tls: TlsTerminator;
  let t: TestApp | undefined;
  withRtmpsEndpoint((e) => ({ rtmp, tls } = e));
  beforeAll(async () => {
    mux = await MuxStandin.start();
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });
  afterAll(() => mux.stop());

  async function publish(env: Record<string, string>) {
    t = await startApp({ ...mux.env(`rtmps://localhost:${tls.port}/app`), ...env });
    const c = await makeCreator(t);
    const stream = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body;
    const p = await Publisher.connect(t.wsUrl, stream.streamKey);
    p.hello(c.token, fx.mimeType);
    await p.ready;
    return { p, key: stream.streamKey as string };
  }

  it('refuses a self-signed peer with the system CA bundle: 4500, and not one RTMP byte sent', async () => {
    const { p, key } = await publish({});
    const sending = p.sendChunks(fx.chunks, fx.arrivalMs).catch(() => undefined);
    const closed = await p.closed;
    await sending;
    expect(closed.code).toBe(4500);
    expect(tls.connections).toBeGreaterThan(0); // the relay did connect…
    expect(tls.bytesReceived).toBe(0); // …and stopped at the certificate
    expect(rtmp.events().some((e) => e.name === key)).toBe(false);
    expect(t!.logs.some((l) => l.includes('pipeline failed (gave-up)'))).toBe(true);
    expect(t!.logs.some((l) => /relay: upstream localhost:\d+: self[- ]signed certificate/i.test(l))).toBe(
      true,
    );
    expect(t!.logs.some((l) => l.includes(key))).toBe(false);
  });

  it('publishes through it when MUX_RTMP_CA_FILE names its CA', async () => {
    const { p, key } = await publish({ MUX_RTMP_CA_FILE: tls.certFile });
    await p.sendChunks(fx.chunks, fx.arrivalMs);
    await p.close(1000);
    const recs = await rtmp.waitForCompleteRecordings(1, key, 20_000);
    expect(defined(recs[0], 'a complete recording').bytes).toBeGreaterThan(100_000);
    expect(tls.bytesReceived).toBeGreaterThan(100_000);
  });

  it('refuses to boot with a MUX_RTMP_CA_FILE that does not exist', async () => {
    await expect(
      startApp({ ...mux.env('rtmps://localhost:1/app'), MUX_RTMP_CA_FILE: '/nonexistent/ca.pem' }),
    ).rejects.toThrow(/MUX_RTMP_CA_FILE/);
  });
});
