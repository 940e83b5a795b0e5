/**
 * Issue 16, items 2 and 3 for restream targets (local mode's tee): an `rtmps://` target goes through
 * its own loopback relay, which verifies the certificate. A self-signed endpoint is reported failed
 * ("the TLS certificate check failed …"), gets no RTMP byte (so never the key), and the broadcast and
 * its recording go on; with RESTREAM_CA_FILE naming its CA the target receives the broadcast. The key
 * is never on FFmpeg's command line.
 */
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { startApp, type TestApp } from './support/app';
import { addRestreamTarget, makeCreator } from './support/factories';
import { defined } from './support/indexing';
import { Publisher, restreamOf } from './support/ingest-client';
import { loadFixture } from './support/record-webm';
import type { RtmpReceiver } from './support/rtmp-receiver';
import { type TlsTerminator, withRtmpsEndpoint } from './support/tls-terminator';

const fx = loadFixture('h264-720p');

describe('restream to an rtmps:// target (relay-verified TLS)', () => {
  let rtmp: RtmpReceiver;
  let tls: TlsTerminator;
  let t: TestApp | undefined;
  withRtmpsEndpoint((e) => ({ rtmp, tls } = e));
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function broadcast(env: Record<string, string>, key: string) {
    t = await startApp(env);
    const c = await makeCreator(t);
    await addRestreamTarget(t, c, {
      name: 'Secure',
      url: `rtmps://localhost:${tls.port}/app`,
      streamKey: key,
    });
    const stream = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body;
    const p = await Publisher.connect(t.wsUrl, stream.streamKey);
    p.hello(c.token, fx.mimeType);
    await p.ready;
    return p;
  }

  it('refuses a self-signed endpoint: reported failed, not one RTMP byte sent, the broadcast goes on', async () => {
    const key = 'tls-key-self-signed-1';
    const before = tls.bytesReceived;
    const p = await broadcast({}, key);
    const sending = p.sendChunks(fx.chunks, fx.arrivalMs);
    const failed = await p.waitFor((m) => restreamOf(m)?.[0]?.state === 'failed', 20_000);
    expect(restreamOf(failed)?.[0]?.reason).toMatch(/TLS certificate check failed/);
    const argv = readFileSync(`/proc/${(failed.pipeline as { pid: number }).pid}/cmdline`, 'utf8');
    expect(argv).not.toContain(key);
    await sending;
    expect((await p.close(1000)).code).toBe(1000);
    expect(tls.bytesReceived).toBe(before);
    expect(rtmp.events().some((e) => e.name === key)).toBe(false);
    expect(t!.logs.some((l) => l.includes(key))).toBe(false);
  });

  it('publishes to it when RESTREAM_CA_FILE names its CA', async () => {
    const key = 'tls-key-trusted-2';
    const p = await broadcast({ RESTREAM_CA_FILE: tls.certFile }, key);
    const sending = p.sendChunks(fx.chunks, fx.arrivalMs);
    await p.waitFor((m) => restreamOf(m)?.[0]?.state === 'live', 20_000);
    await sending;
    expect((await p.close(1000)).code).toBe(1000);
    const recs = await rtmp.waitForCompleteRecordings(1, key, 20_000);
    expect(defined(recs[0], 'a complete recording').bytes).toBeGreaterThan(100_000);
  });
});
