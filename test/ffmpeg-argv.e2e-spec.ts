/**
 * Issue 16, item 3: the stream key never appears on FFmpeg's command line (`/proc/<pid>/cmdline`, what
 * `ps` shows every user), yet nginx-rtmp receives the stream under the real key, whole and decodable.
 */
import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { TestApp } from './support/app';
import { makeCreator } from './support/factories';
import { decodeErrors } from './support/ffprobe';
import { defined } from './support/indexing';
import { Publisher } from './support/ingest-client';
import { withMuxApp } from './support/mux-app';
import { loadFixture } from './support/record-webm';
import { sleep } from './support/eventually';
import { RtmpReceiver } from './support/rtmp-receiver';

const fx = loadFixture('h264-720p');

describe('the stream key is not on FFmpeg’s command line (Mux provider, nginx-rtmp receiver)', () => {
  let rtmp: RtmpReceiver;
  let t: TestApp;
  withMuxApp((s) => ({ rtmp, t } = s), { rtmp: true });

  it('publishes under the real key while /proc/<ffmpeg pid>/cmdline holds no trace of it', async () => {
    const c = await makeCreator(t);
    const stream = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body;
    const key = stream.streamKey as string;
    const p = await Publisher.connect(t.wsUrl, key);
    p.hello(c.token, fx.mimeType);
    await p.ready;
    const half = Math.floor(fx.chunks.length / 2);
    await p.sendChunks(fx.chunks, fx.arrivalMs, 0, half);
    let pid: number | null = null;
    for (let i = 0; i < 100 && pid === null; i++) {
      const last = p.messages.filter((m) => m.type === 'status' && m.pipeline).at(-1);
      pid = (last?.pipeline as { pid?: number | null } | undefined)?.pid ?? null;
      if (pid === null) await sleep(50);
    }
    expect(pid).not.toBeNull();
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(argv.some((a) => a.includes('ffmpeg'))).toBe(true);
    expect(argv.join(' ')).not.toContain(key);
    // Not even a recognisable part of it (the masked log label shows its first characters).
    expect(argv.join(' ')).not.toContain(key.slice(-12));
    await p.sendChunks(fx.chunks, fx.arrivalMs, half);
    await p.close(1000);
    const recordings = await rtmp.waitForCompleteRecordings(1, key, 20_000).catch((err: Error) => {
      // The app's side of it: FFmpeg's starts and exits, the relay's refusals, the broadcast's end.
      const lines = t.logs.filter((l) => /ffmpeg|relay|pipeline|broadcast/i.test(l)).slice(-20);
      err.message += `\napp log:\n${lines.join('\n').split(key).join('<key>')}`;
      throw err;
    });
    const done = defined(recordings[0], 'a complete recording');
    expect(rtmp.events().some((e) => e.kind === 'publish' && e.name === key)).toBe(true);
    expect(done.bytes).toBeGreaterThan(100_000);
    expect(await decodeErrors(done.path)).toBe('');
    expect(t.logs.some((l) => l.includes(key))).toBe(false);
  });
});
