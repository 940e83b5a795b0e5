/**
 * Nothing already stored is lost when the app dies mid-broadcast: after a SIGKILL and a restart on
 * the same data folder, the local provider ends the broadcast that was left open and what had been
 * recorded becomes its VOD post.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startAppProcess } from './support/app-process';
import { decodeErrors } from './support/ffprobe';
import { Publisher } from './support/ingest-client';
import { loadFixture } from './support/record-webm';

const fx = loadFixture('h264-720p');

describe('crash recovery (local provider, embedded database)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vybzz-crash-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('turns the broadcast a crash interrupted into a VOD post on the next start', async () => {
    const first = await startAppProcess({ DATA_DIR: dataDir });
    const login = await request(first.url).post('/auth/dev-login').send({ name: 'Crash Tester' }).expect(201);
    const auth = { Authorization: `Bearer ${login.body.token}` };
    await request(first.url)
      .put('/users/me/creator-profile')
      .set(auth)
      .send({ handle: 'crash_tester', displayName: 'Crash' })
      .expect(200);
    const stream = (
      await request(first.url).post('/stream/create').set(auth).send({ title: 'Cut short' }).expect(201)
    ).body;
    const p = await Publisher.connect(first.wsUrl, stream.streamKey);
    p.hello(login.body.token, fx.mimeType);
    await p.ready;
    await p.sendChunks(fx.chunks, fx.arrivalMs, 0, Math.floor(fx.chunks.length * 0.7));
    await p.waitFor(
      (m) => m.type === 'status' && (m.stream as { isLive?: boolean } | undefined)?.isLive === true,
    );
    first.proc.kill('SIGKILL');
    await first.exited;
    await p.closed;

    const second = await startAppProcess({ DATA_DIR: dataDir });
    try {
      const after = await request(second.url).get(`/stream/${stream.id}`).expect(200);
      expect(after.body).toMatchObject({ isLive: false, status: 'IDLE' });
      const posts = await request(second.url).get('/posts').query({ creator: 'crash_tester' }).expect(200);
      const vod = posts.body.items.find((i: { kind: string }) => i.kind === 'VOD');
      expect(vod).toMatchObject({ title: 'Cut short' });
      expect(vod.durationSec).toBeGreaterThan(2);
      expect(await decodeErrors(`${second.url}${vod.playbackUrl}`)).toBe('');
    } finally {
      second.proc.kill('SIGTERM');
      await second.exited;
    }
  });
});
