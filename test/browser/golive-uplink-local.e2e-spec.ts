/**
 * Issue 13, local mode: a creator on a bad uplink. Chromium runs in a network namespace whose uplink
 * is shaped by tbf (test/support/uplink-netns.ts) to 400 kbit/s for 25 s in the middle of a 60 s
 * broadcast. The media delay (test/support/uplink-probe.ts) stays ≤ 3 s throughout and ≤ 1 s from 10 s
 * after the uplink recovers, the stream is LIVE all along, the dialog shows the lower quality and then
 * the recovery, and the broadcast becomes ONE VOD post covering ≥ 85 % of it.
 */
import { loadavg } from 'node:os';
import { startApp, TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { BrowserSession, CHROMIUM_PATH, ensureWebBuilt } from '../support/browser';
import { uniqueName } from '../support/factories';
import { ShapedUplink } from '../support/uplink-netns';
import { summarize, uplinkWalk, vodPosts } from '../support/uplink-walk';

describe('Go Live on a shaped uplink (local provider, Chromium)', () => {
  let t: TestApp;
  let up: ShapedUplink;
  let s: BrowserSession;

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startApp();
    up = await ShapedUplink.create(Number(new URL(t.url).port));
    s = await BrowserSession.start(t.url, 'uplink-local', up.wrapper(CHROMIUM_PATH));
  });
  afterEach(() => s.expectNoPageErrors());
  afterAll(async () => {
    await s?.close();
    await up?.close();
    await t?.close();
  });

  it('keeps the delay bounded, stays LIVE, adapts and recovers, and makes one VOD post', async () => {
    const handle = uniqueName('up').toLowerCase();
    const page = await s.newPage('creator');
    const walk = await uplinkWalk(page, t.url, up, handle, undefined, {
      log: (m) => console.log(`[uplink-local] ${m}`),
    }).catch((e: Error) => {
      throw new Error(`${e.message}\nconsole:\n${s.dumpConsole()}\napp:\n${t.logs.slice(-30).join('\n')}`);
    });
    const sum = summarize(walk);
    const vods = await eventually(
      'the VOD post',
      async () => {
        const v = await vodPosts(t.url, handle);
        return v.length ? v : null;
      },
      60_000,
    );
    await new Promise((r) => setTimeout(r, 2000)); // a second post would have shown up by now
    const all = await vodPosts(t.url, handle);
    console.log(
      `[uplink-local] ${JSON.stringify({ ...sum, uplinkTexts: sum.uplinkTexts.length, vods: all.map((v) => v.durationSec) })} (load ${loadavg()
        .map((x: number) => x.toFixed(2))
        .join(' ')})`,
    );
    expect(sum.delayKind).toBe('ack');
    expect(sum.maxDelayMs).toBeLessThanOrEqual(3000);
    expect(sum.maxDelayAfterRecoveryMs).toBeLessThanOrEqual(1000);
    expect(sum.badgeMisses).toBe(0);
    expect(sum.serverMisses).toBe(0);
    expect(all).toHaveLength(1);
    expect(vods[0].durationSec).toBeGreaterThanOrEqual(0.85 * sum.broadcastSec);
    expect(sum.sockets).toBe(1);
    const shapedFrom = walk.shapedAt - walk.startedAt;
    const during = sum.uplinkTexts.filter(
      (x) => x.at >= shapedFrom && x.at < walk.recoveredAt - walk.startedAt + 2000,
    );
    expect(during.some((x) => /\b(240|360|480)p\b/.test(x.text) && /weak/i.test(x.text))).toBe(true);
    expect(
      sum.uplinkTexts.some((x) => x.at >= walk.recoveredAt - walk.startedAt && /recovered/i.test(x.text)),
    ).toBe(true);
  });
});
