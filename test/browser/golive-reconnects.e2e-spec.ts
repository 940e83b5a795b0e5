/**
 * Must-show of issue 13: a 60 s broadcast from real Chromium (fake camera, local provider) in which
 * the server side of the creator's ingest connection is cut 5 times (the TCP socket destroyed: the
 * browser sees 1006 and reconnects by itself) → still one broadcast: one VOD post, whose recording
 * (ffprobe) keeps ≥ 90% of the wall time between the first `ready` and Stop Streaming.
 */
import type { Socket } from 'node:net';
import { startApp, TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { BrowserSession, ensureWebBuilt, recordIngestSockets, signUpCreator } from '../support/browser';
import { uniqueName } from '../support/factories';
import { probe } from '../support/ffprobe';
import { defined } from '../support/indexing';

const BROADCAST_MS = 60_000;
const KILLS = 5;
const report = (line: string): void => void process.stdout.write(`[reconnects] ${line}\n`);

describe('one broadcast while the connection is cut 5 times (Chromium, local provider)', () => {
  let t: TestApp;
  let s: BrowserSession;
  const ingestSockets: Socket[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startApp({ RECONNECT_WINDOW_SEC: '60' });
    // The raw TCP socket under every ingest upgrade, so the test can cut it as a network would.
    t.app.getHttpServer().on('upgrade', (req: { url?: string }, socket: Socket) => {
      if (req.url?.startsWith('/stream/live/')) ingestSockets.push(socket);
    });
    s = await BrowserSession.start(t.url, 'reconnects');
  });
  afterEach(() => s.expectNoPageErrors());
  afterAll(async () => {
    await s?.close();
    await t?.close();
  });

  it('keeps one broadcast, one VOD post and ≥ 90% of the media', async () => {
    const handle = uniqueName('rc').toLowerCase();
    const creator = await s.newPage('creator');
    const sockets = recordIngestSockets(creator);
    await signUpCreator(creator, { name: 'Reconnecting Creator', handle });
    await creator.getByRole('button', { name: 'Go Live' }).click();
    const dialog = creator.getByRole('dialog', { name: 'Go Live' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Start Streaming' }).click();
    const isReady = (i: number) => sockets[i]?.received.some((m) => JSON.parse(m).type === 'ready');
    await eventually('the server’s ready', () => isReady(0));
    const startedAt = Date.now();
    await dialog.getByRole('status').getByText('LIVE', { exact: true }).waitFor({ timeout: 20_000 });

    // Cut the connection every ~10 s; measure how long until the next socket streams again.
    const gaps: number[] = [];
    for (let k = 1; k <= KILLS; k++) {
      const killAt = startedAt + (k * BROADCAST_MS) / (KILLS + 1);
      if (Date.now() < killAt) await new Promise((r) => setTimeout(r, killAt - Date.now()));
      const live = ingestSockets.filter((sock) => !sock.destroyed);
      expect(live).toHaveLength(1);
      const cutAt = Date.now();
      defined(live[0], 'the live ingest socket').destroy();
      await eventually(
        `reconnect #${k}`,
        () => isReady(k) && (sockets[k]?.binaryFrames ?? 0) > 0,
        20_000,
        50,
      );
      gaps.push(Date.now() - cutAt);
      expect(sockets[k - 1]?.closed).toBe(true);
    }
    const stopAt = startedAt + BROADCAST_MS;
    if (Date.now() < stopAt) await new Promise((r) => setTimeout(r, stopAt - Date.now()));
    await dialog.getByRole('button', { name: 'Stop Streaming' }).click();
    const wallSec = (Date.now() - startedAt) / 1000;
    await dialog.getByText('Stream stopped').waitFor({ timeout: 15_000 });
    expect(sockets).toHaveLength(KILLS + 1);

    // One broadcast: exactly one VOD post.
    const posts = async () =>
      (
        (await (await fetch(`${t.url}/posts?creator=${handle}`)).json()) as {
          items: { kind: string; playbackUrl: string; durationSec: number }[];
        }
      ).items.filter((p) => p.kind === 'VOD');
    const vod = await eventually('the VOD post', async () => (await posts())[0]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await posts()).toHaveLength(1);
    const playlist = await (await fetch(`${t.url}${vod.playbackUrl}`)).text();
    const discontinuities = playlist.slice(playlist.indexOf('#EXTINF')).match(/#EXT-X-DISCONTINUITY\n/g);
    // What the recording really holds: every segment's own duration, as ffprobe reads it (the
    // playlist's #EXTINF of a part's last segment is FFmpeg's estimate, often too short).
    let mediaSec = 0;
    for (const seg of playlist.split('\n').filter((l) => l.endsWith('.ts'))) {
      mediaSec += (await probe(new URL(seg, `${t.url}${vod.playbackUrl}`).toString())).formatDuration ?? 0;
    }
    const kept = mediaSec / wallSec;
    report(
      `${wallSec.toFixed(1)} s broadcast, ${KILLS} cuts: streaming again ${gaps.join(', ')} ms after each ` +
        `cut; one VOD post: segments hold ${mediaSec.toFixed(2)} s = ${(kept * 100).toFixed(1)}% kept ` +
        `(playlist says ${vod.durationSec} s; ${discontinuities?.length ?? 0} discontinuities)`,
    );
    // Each cut is a discontinuity (the client may add some by restarting its recorder at a new quality).
    expect(discontinuities!.length).toBeGreaterThanOrEqual(KILLS);
    // Issue 13 asks ≥ 90%. The client starts a fresh recorder the moment it sees the drop and sends
    // what it recorded while reconnecting first on the new socket, so a cut costs only the media in
    // flight when the connection died (before that: 83–96%, ~1.5 s lost per cut).
    expect(kept).toBeGreaterThanOrEqual(0.9);
    expect(kept).toBeLessThan(1.05);
    // The post's duration is what the recording holds (the playlist's #EXTINF sum was short by ~1 s).
    expect(Math.abs(vod.durationSec - mediaSec)).toBeLessThanOrEqual(0.5);
  }, 180_000);
});
