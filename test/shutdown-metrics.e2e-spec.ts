/**
 * Operations: /metrics moves while a broadcast streams, and SIGTERM in the middle of a broadcast ends
 * it cleanly — the publisher gets 1001, the receiver's recording decodes, no FFmpeg is left behind,
 * and the process exits within 10 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AppProcess, ffmpegProcesses, startAppProcess } from './support/app-process';
import { decodeErrors, probe } from './support/ffprobe';
import { defined } from './support/indexing';
import { Publisher } from './support/ingest-client';
import { type MuxSide, startMuxSide, type WithRtmp } from './support/mux-app';
import { loadFixture } from './support/record-webm';
import type { RtmpReceiver } from './support/rtmp-receiver';

const fx = loadFixture('h264-720p');

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').at(-1)) : NaN;
}

describe('operations: metrics and graceful shutdown', () => {
  let muxSide: WithRtmp<MuxSide>;
  let rtmp: RtmpReceiver;
  let app: AppProcess;
  const dataDir = mkdtempSync(join(tmpdir(), 'vybzz-ops-'));

  beforeAll(async () => {
    muxSide = await startMuxSide({ rtmp: true });
    rtmp = muxSide.rtmp;
    app = await startAppProcess({ DATA_DIR: dataDir, ...muxSide.env });
  });
  afterAll(async () => {
    app.proc.kill('SIGKILL');
    await muxSide.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the pipeline counters moving while streaming, then exits cleanly on SIGTERM mid-broadcast', async () => {
    const login = await request(app.url).post('/auth/dev-login').send({ name: 'Ops Tester' }).expect(201);
    const auth = { Authorization: `Bearer ${login.body.token}` };
    await request(app.url)
      .put('/users/me/creator-profile')
      .set(auth)
      .send({ handle: 'ops_tester', displayName: 'Ops' })
      .expect(200);
    const stream = (await request(app.url).post('/stream/create').set(auth).send({}).expect(201)).body;

    const p = await Publisher.connect(app.wsUrl, stream.streamKey);
    p.hello(login.body.token, fx.mimeType);
    await p.ready;
    const half = Math.floor(fx.chunks.length / 2);
    await p.sendChunks(fx.chunks, fx.arrivalMs, 0, Math.floor(half / 2));
    const m1 = (
      await request(app.url)
        .get('/metrics')
        .expect(200)
        .expect('content-type', /text\/plain/)
    ).text;
    await p.sendChunks(fx.chunks, fx.arrivalMs, Math.floor(half / 2), half);
    const m2 = (await request(app.url).get('/metrics').expect(200)).text;
    expect(metric(m2, 'vybzz_ingest_active_pipelines')).toBe(1);
    expect(metric(m1, 'vybzz_ingest_bytes_in_total')).toBeGreaterThan(0);
    expect(metric(m2, 'vybzz_ingest_bytes_in_total')).toBeGreaterThan(
      metric(m1, 'vybzz_ingest_bytes_in_total'),
    );
    expect(metric(m2, 'vybzz_ingest_bytes_out_total')).toBeGreaterThan(
      metric(m1, 'vybzz_ingest_bytes_out_total'),
    );
    expect(m2).toContain('vybzz_http_request_duration_seconds_bucket');
    expect(m2).toContain('vybzz_ffmpeg_restarts_total 0');
    expect(ffmpegProcesses(String(rtmp.port))).toHaveLength(1);

    const before = Date.now();
    app.proc.kill('SIGTERM');
    const closed = await p.closed;
    expect(closed.code).toBe(1001);
    const exit = await app.exited;
    const tookMs = Date.now() - before;
    process.stdout.write(`SIGTERM → exit in ${tookMs} ms\n`);
    expect(exit).toBe(0);
    expect(tookMs).toBeLessThan(10_000);
    expect(ffmpegProcesses(String(rtmp.port))).toEqual([]);

    const rec = defined(
      (await rtmp.waitForCompleteRecordings(1, stream.streamKey, 10_000))[0],
      'a complete recording',
    );
    expect(await decodeErrors(rec.path)).toBe('');
    const info = await probe(rec.path);
    expect(info.streams.map((s) => s.codecName).sort()).toEqual(['aac', 'h264']);
    expect(app.output()).not.toContain(stream.streamKey);
  });
});
