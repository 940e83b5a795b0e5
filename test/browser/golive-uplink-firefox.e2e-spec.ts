/**
 * Issue 13 in Firefox: the shaped-uplink walk (see golive-uplink-local) with Debian's firefox-esr
 * driven by puppeteer-core over WebDriver BiDi, its fake camera and microphone. Firefox records
 * `video/webm;codecs=vp8,opus`, so the server transcodes the video, and each quality step is a new
 * recorder (a new WebM header) on the same socket. Local provider: one VOD post covering ≥ 85 %.
 */
import { loadavg } from 'node:os';
import type { Browser } from 'puppeteer-core';
import { startApp, TestApp } from '../support/app';
import { ensureWebBuilt } from '../support/browser';
import { eventually } from '../support/eventually';
import { uniqueName } from '../support/factories';
import { launchFirefox, puppeteerDriver } from '../support/firefox';
import { defined } from '../support/indexing';
import { ShapedUplink } from '../support/uplink-netns';
import {
  expectDelayCoverage,
  recoveredToMbit,
  runWalk,
  summarize,
  vodPosts,
  weakKbps,
} from '../support/uplink-walk';

const log = (m: string): void => void process.stdout.write(`[uplink-firefox] ${m}\n`);

describe('Go Live on a shaped uplink (local provider, Firefox, VP8 transcoded)', () => {
  let t: TestApp;
  let up: ShapedUplink;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startApp();
    up = await ShapedUplink.create(Number(new URL(t.url).port));
    browser = await launchFirefox(up);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await up?.close();
    await t?.close();
  });

  it('keeps the delay bounded, stays LIVE, adapts and recovers, and makes one VOD post', async () => {
    const handle = uniqueName('upf').toLowerCase();
    const page = await browser.newPage();
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(m.text()));
    const walk = await runWalk(puppeteerDriver(page, t.url), t.url, up, handle, undefined, { log }).catch(
      (e: Error) => {
        throw new Error(
          `${e.message}\nconsole:\n${consoleLines.slice(-40).join('\n')}\napp:\n${t.logs.slice(-30).join('\n')}`,
        );
      },
    );
    const sum = summarize(walk);
    await eventually(
      'the VOD post',
      async () => ((await vodPosts(t.url, handle)).length ? true : null),
      60_000,
    );
    await new Promise((r) => setTimeout(r, 2000)); // a second post would have shown up by now
    const all = await vodPosts(t.url, handle);
    log(
      `${JSON.stringify({ ...sum, vods: all.map((v) => v.durationSec) })} (load ${loadavg()
        .map((x: number) => x.toFixed(2))
        .join(' ')})`,
    );
    log(
      `app:\n${t.logs
        .filter((l) => /ffmpeg|new WebM|pipeline/i.test(l))
        .slice(-40)
        .join('\n')}`,
    );
    log(
      `console:\n${consoleLines
        .filter((l) => /uplink/.test(l))
        .slice(-30)
        .join('\n')}`,
    );
    expect(t.logs.some((l) => /vp8→h264/.test(l))).toBe(true); // the transcoded path
    expect(sum.delayKind).toBe('ack');
    expect(sum.maxDelayMs).toBeLessThanOrEqual(3000);
    expect(sum.maxDelayAfterRecoveryMs).toBeLessThanOrEqual(1000);
    expectDelayCoverage(sum, walk);
    expect(sum.badgeMisses).toBe(0);
    expect(sum.serverMisses).toBe(0);
    expect(all).toHaveLength(1);
    expect(defined(all[0], 'the VOD post').durationSec).toBeGreaterThanOrEqual(0.85 * sum.broadcastSec);
    expect(sum.sockets).toBe(1);
    const during = sum.uplinkTexts.filter(
      (x) => x.at >= walk.shapedAt - walk.startedAt && x.at < walk.recoveredAt - walk.startedAt + 2000,
    );
    // a lowered rate (≤ 600 kbit/s, the 480p rung or below) while weak, then back to a Mbit/s rung
    expect(during.some((x) => (weakKbps(x.text) ?? Infinity) <= 600)).toBe(true);
    expect(
      sum.uplinkTexts.some((x) => x.at >= walk.recoveredAt - walk.startedAt && recoveredToMbit(x.text)),
    ).toBe(true);
  }, 180_000);
});
