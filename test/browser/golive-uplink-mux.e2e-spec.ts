/**
 * Issue 13, Mux mode: the shaped-uplink walk (see golive-uplink-local) against the stand-in Mux API and
 * a real RTMP receiver (nginx-rtmp). The test plays Mux's part: connected/active webhooks when FFmpeg
 * publishes, and after Stop Streaming idle + one `video.asset.ready` for the live stream's recording.
 * Mux joins publishes inside the live stream's `reconnect_window` into one asset; here that asset is
 * what nginx recorded for the key: it must cover ≥ 85 % of the broadcast, and the app must have
 * completed the live stream only once, after Stop Streaming.
 */
import { loadavg } from 'node:os';
import { startApp, TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { BrowserSession, CHROMIUM_PATH, ensureWebBuilt, within } from '../support/browser';
import { uniqueName } from '../support/factories';
import { mediaSpan } from '../support/ffprobe';
import { MuxStandin } from '../support/mux-standin';
import { RtmpReceiver } from '../support/rtmp-receiver';
import { ShapedUplink } from '../support/uplink-netns';
import {
  expectDelayCoverage,
  recoveredToMbit,
  summarize,
  uplinkWalk,
  vodPosts,
  weakKbps,
} from '../support/uplink-walk';

describe('Go Live on a shaped uplink (Mux provider, Chromium)', () => {
  let mux: MuxStandin;
  let rtmp: RtmpReceiver;
  let t: TestApp;
  let up: ShapedUplink;
  let s: BrowserSession;

  beforeAll(async () => {
    ensureWebBuilt();
    mux = await MuxStandin.start();
    rtmp = await RtmpReceiver.start();
    t = await startApp(mux.env(`rtmp://127.0.0.1:${rtmp.port}/app`));
    up = await ShapedUplink.create(Number(new URL(t.url).port));
    s = await BrowserSession.start(t.url, 'uplink-mux', up.wrapper(CHROMIUM_PATH));
  });
  afterEach(() => s.expectNoPageErrors());
  afterAll(async () => {
    await s?.close();
    await up?.close();
    await t?.close();
    await rtmp?.stop(true);
    await mux?.stop();
  });

  const deliver = (...args: Parameters<MuxStandin['deliver']>) =>
    within(`webhook ${args[1]}`, 15_000, mux.deliver(...args));

  it('keeps the delay bounded, stays LIVE, adapts and recovers, one asset → one VOD post', async () => {
    const handle = uniqueName('upm').toLowerCase();
    const page = await s.newPage('creator');
    let lsData: { id: string; stream_key: string; playback_ids: { id: string; policy: string }[] } | null =
      null;
    const walk = await uplinkWalk(page, t.url, up, handle, undefined, {
      log: (m) => console.log(`[uplink-mux] ${m}`),
      onStreaming: async (stream) => {
        const ls = [...mux.liveStreams.values()].find((l) => l.stream_key === stream.streamKey)!;
        lsData = { id: ls.id, stream_key: ls.stream_key, playback_ids: ls.playback_ids };
        const publish = await eventually(
          'the RTMP publish',
          () => rtmp.events(stream.streamKey).find((e) => e.kind === 'publish'),
          20_000,
        );
        expect(
          await deliver(
            t.url,
            'video.live_stream.connected',
            { ...lsData, status: 'idle' },
            { createdAt: new Date(publish.atMs) },
          ),
        ).toBe(200);
        expect(
          await deliver(
            t.url,
            'video.live_stream.active',
            { ...lsData, status: 'active', active_asset_id: 'asset_live' },
            { createdAt: new Date(publish.atMs + 500) },
          ),
        ).toBe(200);
      },
    }).catch((e: Error) => {
      throw new Error(`${e.message}\nconsole:\n${s.dumpConsole()}\napp:\n${t.logs.slice(-30).join('\n')}`);
    });
    const sum = summarize(walk);
    const key = walk.stream.streamKey;
    // The app completes the live stream once, after Stop Streaming (never on a quality step).
    await eventually('Mux’s complete call', () => mux.liveStreams.get(lsData!.id)!.completed, 20_000);
    const completes = mux.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/complete'));
    expect(completes).toHaveLength(1);
    const publishes = rtmp.events(key).filter((e) => e.kind === 'publish');
    const recordings = await rtmp.waitForCompleteRecordings(publishes.length, key, 30_000);
    // A publish cut before it carried media (the relay resets a killed FFmpeg's upstream) leaves a
    // file without an FLV header: it covers nothing (counted as 0 s, never skipped).
    let covered = 0;
    const unreadable: string[] = [];
    const spans: { bytes: number; span: number }[] = [];
    for (const r of recordings) {
      const span = await mediaSpan(r.path, 'v').then(
        (m) => m.span,
        (e: Error) => (unreadable.push((e.message.split('\n')[0] ?? '').slice(-120)), 0),
      );
      covered += span;
      spans.push({ bytes: r.bytes, span });
    }
    console.log(
      `[uplink-mux] delay ${JSON.stringify({ max: sum.maxDelayMs, shaped: sum.maxDelayShapedMs, afterRecovery: sum.maxDelayAfterRecoveryMs })}; ${publishes.length} publishes, ${recordings.length} recordings, covered ${covered.toFixed(2)} s; unreadable ${JSON.stringify(unreadable)}`,
    );
    const done = rtmp
      .events(key)
      .filter((e) => e.kind === 'publish_done')
      .pop()!;
    expect(
      await deliver(
        t.url,
        'video.live_stream.idle',
        { ...lsData!, status: 'idle' },
        { createdAt: new Date(done.atMs) },
      ),
    ).toBe(200);
    const assetPlayback = `vod${Date.now().toString(36)}`;
    expect(
      await deliver(
        t.url,
        'video.asset.ready',
        {
          id: `asset_${assetPlayback}`,
          live_stream_id: lsData!.id,
          playback_ids: [{ id: assetPlayback, policy: 'public' }],
          duration: covered,
          status: 'ready',
        },
        { createdAt: new Date(done.atMs + 1000) },
      ),
    ).toBe(200);
    const vods = await eventually(
      'the VOD post',
      async () => {
        const v = await vodPosts(t.url, handle);
        return v.length ? v : null;
      },
      30_000,
    );
    console.log(
      `[uplink-mux] ${JSON.stringify({ ...sum, uplinkTexts: sum.uplinkTexts.length, publishes: publishes.length, covered, vods: vods.map((v) => v.durationSec) })} (load ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')})`,
    );
    expect(sum.delayKind).toBe('ack');
    expect(sum.maxDelayMs).toBeLessThanOrEqual(3000);
    expect(sum.maxDelayAfterRecoveryMs).toBeLessThanOrEqual(1000);
    expectDelayCoverage(sum, walk);
    expect(sum.badgeMisses).toBe(0);
    expect(sum.serverMisses).toBe(0);
    expect(sum.sockets).toBe(1);
    expect(vods).toHaveLength(1);
    if (covered < 0.85 * sum.broadcastSec)
      console.log(
        `[uplink-mux] short recording; publishes ${JSON.stringify(rtmp.events(key).map((e) => [e.kind, e.atMs - walk.startedAt]))}\n` +
          `spans ${JSON.stringify(spans)}\nnginx:\n${rtmp.diagnostics().join('\n')}\napp:\n` +
          t.logs
            .filter((l) => /ffmpeg|relay|pipeline|restart/i.test(l))
            .slice(-60)
            .join('\n'),
      );
    expect(covered).toBeGreaterThanOrEqual(0.85 * sum.broadcastSec);
    const shapedFrom = walk.shapedAt - walk.startedAt;
    const during = sum.uplinkTexts.filter(
      (x) => x.at >= shapedFrom && x.at < walk.recoveredAt - walk.startedAt + 2000,
    );
    // a lowered rate (≤ 600 kbit/s, the 480p rung or below) while weak, then back to a Mbit/s rung
    expect(during.some((x) => (weakKbps(x.text) ?? Infinity) <= 600)).toBe(true);
    expect(
      sum.uplinkTexts.some((x) => x.at >= walk.recoveredAt - walk.startedAt && recoveredToMbit(x.text)),
    ).toBe(true);
  });
});
