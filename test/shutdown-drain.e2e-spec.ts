/**
 * A broadcast stopped right before the app shuts down (a deploy a moment after a creator pressed Stop)
 * is not cut short: app.close() waits for its FFmpeg to flush and for its VOD to be recorded, and no
 * FFmpeg or spawner is left running afterwards — with FFmpeg forked by the app or by the session
 * spawner (whose shutdown once left a spawn on its way, and the test process, hanging).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startApp } from './support/app';
import { makeCreator } from './support/factories';
import { ffmpegDescendants } from './support/ffmpeg-processes';
import { Publisher } from './support/ingest-client';
import { loadFixture } from './support/record-webm';

const fx = loadFixture('h264-720p');

describe.each(['direct', 'session'])('shutdown right after Stop (FFMPEG_SPAWNER=%s)', (spawner) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vybzz-drain-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('waits for the stopped broadcast to flush and become its VOD, then leaves nothing running', async () => {
    const t = await startApp({ FFMPEG_SPAWNER: spawner }, { dataDir });
    let closed = false;
    try {
      const c = await makeCreator(t);
      const stream = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body;
      const p = await Publisher.connect(t.wsUrl, stream.streamKey);
      p.hello(c.token, fx.mimeType);
      await p.ready;
      // Unpaced: FFmpeg still has most of it to write when Stop arrives.
      await p.sendChunks(
        fx.chunks,
        fx.chunks.map(() => 0),
        0,
        fx.chunks.length,
      );
      expect((await p.close(1000)).code).toBe(1000);
      await t.close();
      closed = true;

      // What close() waited for: the recording moved to its VOD folder, ended and recorded as a post.
      const vodRoot = join(dataDir, 'media', 'vod');
      const vods = existsSync(vodRoot) ? readdirSync(vodRoot) : [];
      expect(vods).toHaveLength(1);
      const dir = join(vodRoot, vods[0] ?? '');
      expect(readFileSync(join(dir, 'index.m3u8'), 'utf8').trim().endsWith('#EXT-X-ENDLIST')).toBe(true);
      expect(existsSync(join(dir, '.recording-pending.json'))).toBe(false);
      expect(ffmpegDescendants()).toEqual([]);
    } finally {
      if (!closed) await t.close();
    }
  });
});
