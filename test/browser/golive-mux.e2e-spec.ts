/**
 * The seed's 16 steps in a real browser, in Mux mode: the app's real @mux/mux-node client talks to the
 * stand-in Mux API, FFmpeg pushes FLV to a real RTMP receiver (nginx-rtmp) at MUX_RTMP_URL, and this
 * test plays Mux's part for the rest: when the receiver reports the publish it delivers signed
 * `video.live_stream.connected` / `.active` webhooks, and after Stop Streaming (and Mux's `complete`
 * call) `.idle` and `video.asset.ready` for the recording.
 */
import { randomBytes } from 'node:crypto';
import { startApp, TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import {
  BrowserSession,
  ensureWebBuilt,
  metric,
  recordIngestSockets,
  signUpCreator,
  videoState,
  within,
} from '../support/browser';
import { uniqueName } from '../support/factories';
import { mediaSpan, probe, run } from '../support/ffprobe';
import { defined } from '../support/indexing';
import { MuxStandin } from '../support/mux-standin';
import { RtmpReceiver } from '../support/rtmp-receiver';

interface CreatedStream {
  id: string;
  streamKey: string;
  playbackId: string;
  playbackUrl: string;
  ingestPath: string;
}

/**
 * Decodes the whole file and returns what FFmpeg complained about. Like `decodeErrors`, but the
 * decoded frames keep the file's own (millisecond) time base: a live camera's frames are not evenly
 * spaced, and at FFmpeg's default 1/29.97 s output ticks two frames 29 ms apart would share a tick and
 * be reported as "non monotonically increasing dts" although the recording is fine.
 */
async function decodeProblems(file: string): Promise<string> {
  const { stderr } = await run('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-i',
    file,
    '-enc_time_base',
    '-1',
    '-f',
    'null',
    '-',
  ]);
  return stderr.trim();
}

const muxId = (n: number) => randomBytes(n).toString('base64url').replace(/[-_]/g, 'x');

describe('Go Live in the browser, Mux provider (stand-in API, real RTMP receiver, signed webhooks)', () => {
  let mux: MuxStandin;
  let rtmp: RtmpReceiver;
  let t: TestApp;
  let s: BrowserSession;

  beforeAll(async () => {
    ensureWebBuilt();
    mux = await MuxStandin.start();
    rtmp = await RtmpReceiver.start();
    t = await startApp(mux.env(`rtmp://127.0.0.1:${rtmp.port}/app`));
    s = await BrowserSession.start(t.url, 'mux');
  });
  // An uncaught error in any page fails the test.
  afterEach(() => s.expectNoPageErrors());
  afterAll(async () => {
    await s?.close();
    await t?.close();
    await rtmp?.stop(true);
    await mux?.stop();
  });

  /** A signed webhook from "Mux"; its HTTP status. A delivery the app never answers fails the step. */
  const deliver = (...args: Parameters<MuxStandin['deliver']>) =>
    within(`webhook ${args[1]}`, 15_000, mux.deliver(...args));

  it('goes live to Mux, is LIVE on Mux’s word, and the asset becomes a VOD post with a Mux player', async () => {
    const handle = uniqueName('mux').toLowerCase();
    const creator = await s.newPage('creator');
    const sockets = recordIngestSockets(creator);
    await signUpCreator(creator, { name: 'Mux Creator', handle });

    // 1–3. "Go Live" → POST /stream/create → the app creates a Mux live stream (public playback,
    // recorded) and hands back its stream key.
    const createResponse = creator.waitForResponse((r) => r.url().endsWith('/stream/create'));
    await creator.getByRole('button', { name: 'Go Live' }).click();
    const created = await createResponse;
    expect(created.status()).toBe(201);
    const stream = (await created.json()) as CreatedStream;
    const ls = [...mux.liveStreams.values()].find((l) => l.stream_key === stream.streamKey);
    expect(ls).toBeDefined();
    const muxStreamId = ls!.id;
    expect(
      mux.requests.find((r) => r.method === 'POST' && r.path === '/video/v1/live-streams'),
    ).toMatchObject({
      authorized: true,
      body: { playback_policies: ['public'], new_asset_settings: { playback_policies: ['public'] } },
    });
    expect(stream.playbackId).toBe(defined(ls?.playback_ids[0], 'a playback id on the live stream').id);

    // 4–5. The dialog with the camera preview.
    const dialog = creator.getByRole('dialog', { name: 'Go Live' });
    await dialog.waitFor();
    const preview = dialog.getByLabel('Camera preview');
    await eventually(
      'the camera preview to show frames',
      async () => (await videoState(preview)).videoWidth > 0,
    );

    // 6–11. Start Streaming: socket, hello, chunks, FFmpeg publishing to the RTMP "Mux" endpoint.
    await dialog.getByRole('button', { name: 'Start Streaming' }).click();
    const sock = await eventually('the ingest WebSocket', () => sockets[0]);
    expect(sock.ws.url()).toBe(`${t.wsUrl}/stream/live/${stream.streamKey}`);
    await eventually('the server’s ready', () => sock.received.some((m) => JSON.parse(m).type === 'ready'));
    const recordingStartedAt = Date.now();
    const publish = await eventually(
      'the RTMP receiver to see the publish',
      () => rtmp.events(stream.streamKey).find((e) => e.kind === 'publish'),
      20_000,
    );
    expect(sock.binaryFrames).toBeGreaterThan(0);
    // /metrics counts the pipeline's bytes at its status ticks.
    await eventually(
      'bytes in on /metrics',
      async () => (await metric(t.url, 'vybzz_ingest_bytes_in_total')) > 0,
    );
    // Until Mux says so, the stream is not live.
    expect((await t.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } })).isLive).toBe(false);
    await expect(dialog.getByRole('status').getByText('LIVE', { exact: true }).count()).resolves.toBe(0);

    // 12. Mux's part: the stream connected and went active (signed webhooks).
    const at = new Date(publish.atMs);
    const lsData = { id: muxStreamId, stream_key: stream.streamKey, playback_ids: ls!.playback_ids };
    expect(
      await deliver(t.url, 'video.live_stream.connected', { ...lsData, status: 'idle' }, { createdAt: at }),
    ).toBe(200);
    expect(
      await deliver(
        t.url,
        'video.live_stream.active',
        { ...lsData, status: 'active', active_asset_id: 'asset_live' },
        { createdAt: new Date(publish.atMs + 1000) },
      ),
    ).toBe(200);

    // 13. LiveStream.isLive, and the dialog shows "LIVE".
    await dialog.getByRole('status').getByText('LIVE', { exact: true }).waitFor({ timeout: 15_000 });
    expect(await t.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } })).toMatchObject({
      isLive: true,
      status: 'ACTIVE',
    });
    await s.screenshot(creator, 'golive-live');

    // 14. A viewer's page shows the live player for the Mux playback id. Mux's CDN (stream.mux.com)
    // cannot be reached from this machine, so the test checks the player and its playback id, not
    // that it plays (the local-mode walk checks playback).
    const viewer = await s.newPage('viewer', { camera: false });
    // What the players ask Mux's CDN for (the requests fail here, but they were made: the page's
    // Content-Security-Policy lets the player reach stream.mux.com).
    const cdnRequests: string[] = [];
    viewer.on('request', (r) => {
      if (r.url().startsWith('https://stream.mux.com/')) cdnRequests.push(r.url());
    });
    await viewer.goto(`/c/${handle}`);
    const liveSection = viewer.locator('section', { has: viewer.getByRole('heading', { name: 'Live now' }) });
    const livePlayer = liveSection.locator('mux-player');
    await livePlayer.waitFor({ timeout: 15_000 });
    expect(await livePlayer.getAttribute('playback-id')).toBe(stream.playbackId);
    expect(await livePlayer.getAttribute('stream-type')).toBe('live');
    await eventually('the live player to request its playlist from Mux', () =>
      cdnRequests.some((u) => u.startsWith(`https://stream.mux.com/${stream.playbackId}.m3u8`)),
    );
    await s.screenshot(viewer, 'viewer-live');
    // The live player starts muted (autoplay): "Tap to unmute" says so, and turns the sound on.
    const unmute = liveSection.getByRole('button', { name: 'Tap to unmute' });
    await unmute.waitFor({ timeout: 10_000 });
    await unmute.click();
    await unmute.waitFor({ state: 'detached' });
    expect(await livePlayer.evaluate((p) => (p as HTMLElement & { muted: boolean }).muted)).toBe(false);

    // A short broadcast: 6 s of recording.
    const minEnd = recordingStartedAt + 6000;
    if (Date.now() < minEnd) await creator.waitForTimeout(minEnd - Date.now());

    // 15. Stop Streaming: FFmpeg ends its publish, and the app tells Mux the broadcast is complete.
    await dialog.getByRole('button', { name: 'Stop Streaming' }).click();
    const broadcastSec = (Date.now() - recordingStartedAt) / 1000;
    await dialog.getByText('Stream stopped').waitFor({ timeout: 15_000 });
    await eventually('Mux’s complete call', () => mux.liveStreams.get(muxStreamId)!.completed, 15_000);
    expect(
      mux.requests.find(
        (r) => r.method === 'PUT' && r.path === `/video/v1/live-streams/${muxStreamId}/complete`,
      ),
    ).toMatchObject({ authorized: true });
    const recording = defined(
      (await rtmp.waitForCompleteRecordings(1, stream.streamKey, 20_000))[0],
      'a complete recording',
    );
    // nginx's publish_done hook reaches us on its own connection: it may trail the recording's move.
    const done = await eventually(
      'nginx to report publish_done',
      () => rtmp.events(stream.streamKey).find((e) => e.kind === 'publish_done'),
      10_000,
    );

    // What reached "Mux" is whole: H.264 + AAC that decodes cleanly and lasts the broadcast.
    const info = await probe(recording.path);
    expect(info.streams.find((x) => x.codecType === 'video')).toMatchObject({ codecName: 'h264' });
    expect(info.streams.find((x) => x.codecType === 'audio')).toMatchObject({ codecName: 'aac' });
    expect(await decodeProblems(recording.path)).toBe('');
    const span = await mediaSpan(recording.path, 'v');
    expect(span.span).toBeGreaterThan(broadcastSec - 2);
    expect(span.span).toBeLessThan(broadcastSec + 1);

    // 16. Mux's part again: idle, then the recording's asset is ready → a VOD post, which appears on
    // the viewer's open page by itself, as an <article> with a Mux player for the asset's playback id.
    expect(
      await deliver(
        t.url,
        'video.live_stream.idle',
        { ...lsData, status: 'idle' },
        { createdAt: new Date(done.atMs) },
      ),
    ).toBe(200);
    const assetId = `asset_${muxId(16)}`;
    const vodPlaybackId = muxId(20);
    const duration = Math.round(span.span * 100) / 100;
    expect(
      await deliver(
        t.url,
        'video.asset.ready',
        {
          id: assetId,
          live_stream_id: muxStreamId,
          playback_ids: [{ id: vodPlaybackId, policy: 'public' }],
          duration,
          status: 'ready',
        },
        { createdAt: new Date(done.atMs + 2000) },
      ),
    ).toBe(200);
    await liveSection.waitFor({ state: 'detached', timeout: 15_000 });
    const vodPlayer = viewer.getByRole('article').locator(`mux-player[playback-id="${vodPlaybackId}"]`);
    await vodPlayer.waitFor({ timeout: 30_000 });
    expect(await vodPlayer.getAttribute('stream-type')).toBe('on-demand');
    await eventually('the VOD player to request its playlist from Mux', () =>
      cdnRequests.some((u) => u.startsWith(`https://stream.mux.com/${vodPlaybackId}.m3u8`)),
    );
    const posts = (await (
      await fetch(`${t.url}/posts?creator=${handle}`, { signal: AbortSignal.timeout(10_000) })
    ).json()) as {
      items: { kind: string; playbackId: string; playbackUrl: string; durationSec: number }[];
    };
    expect(posts.items.filter((p) => p.kind === 'VOD')).toEqual([
      expect.objectContaining({
        playbackId: vodPlaybackId,
        playbackUrl: `https://stream.mux.com/${vodPlaybackId}.m3u8`,
        durationSec: duration,
      }),
    ]);
    await s.screenshot(viewer, 'creator-page-vod');
  });
});
