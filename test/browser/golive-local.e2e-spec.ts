/**
 * The seed report's 16-step "End-to-End Flow", in a real browser, in local mode: Chromium (fake camera
 * and microphone) drives the real SPA served by the real app; the browser's MediaRecorder feeds the
 * ingest WebSocket, real FFmpeg writes live HLS, a viewer in another browser context watches it, and
 * after Stop Streaming the recording shows up on the creator's page as a VOD post that plays.
 */
import type { TestApp } from '../support/app';
import { useBrowserApp } from '../support/browser-app';
import { eventually } from '../support/eventually';
import {
  BrowserSession,
  expectVideoPlays,
  metric,
  recordIngestSockets,
  signUpCreator,
  videoState,
} from '../support/browser';
import { uniqueName } from '../support/factories';

interface CreatedStream {
  id: string;
  streamKey: string;
  playbackUrl: string;
  ingestPath: string;
}

describe('Go Live in the browser, local provider (the seed’s 16 steps)', () => {
  let t: TestApp;
  let s: BrowserSession;

  // An uncaught error in any page fails the test.
  useBrowserApp('local', {}, (app, session) => {
    t = app;
    s = session;
  });

  it('signs in, sets up a profile, goes live, is watched, stops, and the VOD post plays', async () => {
    const handle = uniqueName('web').toLowerCase();
    const creator = await s.newPage('creator');
    const sockets = recordIngestSockets(creator);

    // Sign in through the local sign-in form (reached from the header's "Sign in" link), then set up
    // the creator profile on the dashboard.
    await signUpCreator(creator, { name: 'Browser Creator', handle, bio: 'Live from a fake camera.' });

    // Back to the dashboard as a fresh visit: the profile is there and "Go Live" is offered.
    await creator.goto('/dashboard');
    const goLive = creator.getByRole('button', { name: 'Go Live' });
    await goLive.waitFor();
    await expect(creator.getByRole('link', { name: `/c/${handle}` }).isVisible()).resolves.toBe(true);
    await s.screenshot(creator, 'dashboard');

    // 1–3. "Go Live" → POST /stream/create → a stream key.
    const createResponse = creator.waitForResponse((r) => r.url().endsWith('/stream/create'));
    await goLive.click();
    const created = await createResponse;
    expect(created.request().method()).toBe('POST');
    expect(created.status()).toBe(201);
    const stream = (await created.json()) as CreatedStream;
    expect(stream.ingestPath).toBe(`/stream/live/${stream.streamKey}`);

    // 4–5. The Go Live dialog opens, and the camera preview shows the (fake) camera.
    const dialog = creator.getByRole('dialog', { name: 'Go Live' });
    await dialog.waitFor();
    const preview = dialog.getByLabel('Camera preview');
    await eventually(
      'the camera preview to show frames',
      async () => (await videoState(preview)).videoWidth > 0,
    );
    const previewState = await videoState(preview);
    expect(previewState.videoWidth).toBeGreaterThan(0);
    expect(previewState.videoHeight).toBeGreaterThan(0);
    const start = dialog.getByRole('button', { name: 'Start Streaming' });
    const stop = dialog.getByRole('button', { name: 'Stop Streaming' });
    await expect(start.isEnabled()).resolves.toBe(true);
    await expect(stop.isDisabled()).resolves.toBe(true);
    await expect(dialog.getByText('Not streaming yet').isVisible()).resolves.toBe(true);
    await s.screenshot(creator, 'golive-preview');

    // 6. Start Streaming.
    const bytesBefore = await metric(t.url, 'vybzz_ingest_bytes_in_total');
    await start.click();

    // 7. The WebSocket to ws://<host>/stream/live/{streamKey}, authenticated by its first text frame.
    const sock = await eventually('the ingest WebSocket', () => sockets[0]);
    expect(sock.ws.url()).toBe(`${t.wsUrl}${stream.ingestPath}`);
    const hello = JSON.parse(await eventually('the hello frame', () => sock.sentText[0])) as Record<
      string,
      string
    >;
    expect(hello).toMatchObject({ type: 'hello', mimeType: 'video/webm;codecs=h264,opus' });
    expect(hello.token).toEqual(expect.any(String));
    await eventually('the server’s ready', () => sock.received.some((m) => JSON.parse(m).type === 'ready'));
    const recordingStartedAt = Date.now();

    // 8–9. MediaRecorder chunks (every 250 ms) go out as binary frames.
    await eventually('8 binary media frames', () => sock.binaryFrames >= 8, 10_000);
    const framesAt = { n: sock.binaryFrames, at: Date.now() };

    // 10. The server receives them and pipes them into FFmpeg: its byte counter grows, one pipeline runs.
    const bytesA = await eventually('bytes in on /metrics', async () => {
      const v = await metric(t.url, 'vybzz_ingest_bytes_in_total');
      return v > bytesBefore ? v : null;
    });
    await eventually(
      'bytes in to keep growing',
      async () => (await metric(t.url, 'vybzz_ingest_bytes_in_total')) > bytesA,
    );
    expect(await metric(t.url, 'vybzz_ingest_active_pipelines')).toBe(1);

    // 11. FFmpeg writes the live stream: the live HLS playlist appears with a segment.
    const playlist = await eventually('the live playlist with a segment', async () => {
      const r = await fetch(`${t.url}${stream.playbackUrl}`, { signal: AbortSignal.timeout(10_000) });
      const text = r.ok ? await r.text() : '';
      return text.includes('#EXTINF') ? text : null;
    });
    expect(playlist).toContain('#EXTM3U');

    // 12–13. The provider reports the stream active: LiveStream.isLive, and the dialog shows "LIVE".
    const badge = dialog.getByRole('status').getByText('LIVE', { exact: true });
    await badge.waitFor({ timeout: 20_000 });
    const row = await t.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } });
    expect(row).toMatchObject({ isLive: true, status: 'ACTIVE' });
    // The creator's words up front; the technical state behind "Details".
    await expect(dialog.getByRole('status').getByText("You're live").isVisible()).resolves.toBe(true);
    await expect(dialog.getByText('connected (active)').isVisible()).resolves.toBe(false);
    await dialog.getByText('Details', { exact: true }).click();
    await expect(dialog.getByText('connected (active)').isVisible()).resolves.toBe(true);
    await s.screenshot(creator, 'golive-live');

    // 14. A viewer, in another browser context (not signed in), watches the live stream on /c/<handle>.
    const viewer = await s.newPage('viewer', { camera: false });
    await viewer.goto(`/c/${handle}`);
    await viewer.getByRole('heading', { name: 'Browser Creator' }).waitFor();
    const liveSection = viewer.locator('section', { has: viewer.getByRole('heading', { name: 'Live now' }) });
    await liveSection.waitFor({ timeout: 15_000 });
    await expect(
      viewer.getByRole('heading', { name: 'Browser Creator' }).getByText('LIVE').isVisible(),
    ).resolves.toBe(true);
    const liveVideo = liveSection.locator('video');
    expect(await liveVideo.getAttribute('data-playback-url')).toBe(stream.playbackUrl);
    await expectVideoPlays(liveVideo, 1.5, 30_000);
    await s.screenshot(viewer, 'viewer-live');

    // Chunks kept flowing at MediaRecorder's pace the whole time (timeslice 100 ms: ≈ 8–10 a second).
    const rate = ((sock.binaryFrames - framesAt.n) * 1000) / (Date.now() - framesAt.at);
    expect(rate).toBeGreaterThan(4);
    expect(rate).toBeLessThan(15);

    // A short broadcast: at least 7 s of recording.
    const minEnd = recordingStartedAt + 7000;
    if (Date.now() < minEnd) await creator.waitForTimeout(minEnd - Date.now());

    // 15. Stop Streaming: the socket closes normally, the pipeline ends, the stream is no longer live.
    await stop.click();
    const broadcastSec = (Date.now() - recordingStartedAt) / 1000;
    await dialog.getByText('Stream stopped').waitFor({ timeout: 15_000 });
    await eventually('the ingest socket to close', () => sock.closed);
    await expect(dialog.getByText('closed (1000)').isVisible()).resolves.toBe(true);
    await eventually(
      'no pipeline running',
      async () => (await metric(t.url, 'vybzz_ingest_active_pipelines')) === 0,
    );
    await s.screenshot(creator, 'golive-stopped');

    // 16. The recording becomes a VOD post, which appears on the viewer's open page by itself,
    // as an <article> holding a <video> that plays the whole broadcast.
    const vodArticle = viewer.getByRole('article').filter({ has: viewer.locator('video') });
    await vodArticle.waitFor({ timeout: 30_000 });
    // The page's live state and its posts are polled separately: the live player may outlast the
    // post's arrival by one poll, but goes away by itself too.
    await liveSection.waitFor({ state: 'detached', timeout: 10_000 });
    await viewer
      .getByRole('heading', { name: 'Browser Creator' })
      .getByText('LIVE')
      .waitFor({ state: 'detached' });
    const post = (
      (await (
        await fetch(`${t.url}/posts?creator=${handle}`, { signal: AbortSignal.timeout(10_000) })
      ).json()) as {
        items: { kind: string; playbackUrl: string; durationSec: number }[];
      }
    ).items.find((p) => p.kind === 'VOD')!;
    expect(post.playbackUrl).toMatch(/^\/media\/vod\/local_asset_[\w-]+\/index\.m3u8$/);
    const vodVideo = vodArticle.locator('video');
    expect(await vodVideo.getAttribute('data-playback-url')).toBe(post.playbackUrl);
    const played = await expectVideoPlays(vodVideo, 1, 30_000);
    expect(played.videoWidth).toBeGreaterThan(0);
    // The recording is the broadcast: from the first chunk to Stop (less the part of a segment
    // FFmpeg had not finished, plus the last chunk).
    expect(post.durationSec).toBeGreaterThan(broadcastSec - 2);
    expect(post.durationSec).toBeLessThan(broadcastSec + 1.5);
    // The player's duration is the media end time; MPEG-TS segments may start up to ~1.4 s in
    // (FFmpeg's mux delay), which hls.js sometimes counts: allow for it.
    expect(Math.abs(played.duration - post.durationSec)).toBeLessThan(1.5);
    await vodArticle.scrollIntoViewIfNeeded();
    await s.screenshot(viewer, 'creator-page-vod');

    // The creator's own dashboard lists it too ("Your posts" is polled).
    const own = creator.locator('section', { has: creator.getByRole('heading', { name: 'Your posts' }) });
    await own
      .getByRole('article')
      .filter({ has: creator.locator('video') })
      .waitFor({ timeout: 20_000 });
  });
});
