/**
 * `npm run bench -- --only=uplink`: the shaped-uplink walk (issue 13) as a measurement. The app runs as
 * its own process in local mode, Chromium (fake camera) in a network namespace whose uplink tbf shapes
 * to 400 kbit/s for 25 s in the middle of a 60 s broadcast (test/support/uplink-netns.ts + uplink-walk.ts,
 * the same walk the browser tests assert on). Writes docs/uplink.csv (the media delay, the recorded
 * quality and the shaped rate, every 250 ms) and the "Uplink" section of docs/benchmarks.md, leaving the
 * other sections alone. Needs root (ip netns) and the SPA built (web/dist).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, createDatabase, startApp } from './lib/app.mjs';
import { writeDocSection } from './lib/doc-section.mjs';
import { support } from './lib/support.mjs';

const { ShapedUplink } = support('uplink-netns');
const { launchBrowser, CHROMIUM_PATH, VIEWPORT } = support('browser');
const { uplinkWalk, summarize, vodPosts, DEFAULT_PLAN } = support('uplink-walk');
const { eventually, sleep } = support('eventually');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const log = (m) => process.stdout.write(`[bench uplink] ${m}\n`);

export async function runUplink() {
  if (!existsSync(join(root, 'web/dist/index.html')))
    throw new Error('build the SPA first: (cd web && npm run build)');
  buildApp(root, log);
  const db = await createDatabase();
  const app = await startApp(root, { DATABASE_URL: db.url });
  const up = await ShapedUplink.create(Number(new URL(app.url).port));
  const browser = await launchBrowser(up.wrapper(CHROMIUM_PATH));
  const loadBefore = loadavg();
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, baseURL: app.url });
    context.setDefaultTimeout(20_000);
    await context.grantPermissions(['camera', 'microphone'], { origin: app.url });
    const page = await context.newPage();
    const handle = `bench${Date.now().toString(36)}`;
    const walk = await uplinkWalk(page, app.url, up, handle, DEFAULT_PLAN, { log });
    const sum = summarize(walk);
    await eventually('a VOD post', async () => (await vodPosts(app.url, handle)).length, 60_000, 1000).catch(
      () => undefined,
    );
    await sleep(2000);
    const vods = await vodPosts(app.url, handle);
    const result = {
      date: new Date().toISOString(),
      load: [loadBefore, loadavg()],
      plan: DEFAULT_PLAN,
      summary: sum,
      vods: vods.map((v) => v.durationSec),
      walk,
    };
    writeCsv(walk);
    writeSection(result);
    writeFileSync(
      join(root, 'bench/results/uplink.json'),
      JSON.stringify({ ...result, walk: undefined }, null, 1),
    );
    log(
      `max delay ${sum.maxDelayMs} ms (shaped ${sum.maxDelayShapedMs}, from 10 s after recovery ${sum.maxDelayAfterRecoveryMs}); VOD ${vods.map((v) => v.durationSec).join(', ')} s of ${sum.broadcastSec.toFixed(1)} s`,
    );
  } finally {
    await browser.close().catch(() => undefined);
    await up.close();
    await app.stop();
    await db.drop?.();
  }
}

/** One row per 250 ms: seconds since the first recorder, media delay (max in the slot), video kbit/s, height, uplink kbit/s. */
function writeCsv(w) {
  const recs = w.probe.sockets
    .flatMap((s) => s.recorders)
    .filter((r) => r.startedAt)
    .sort((a, b) => a.startedAt - b.startedAt);
  const rows = ['t_s,delay_ms,video_kbps,height,uplink_kbps'];
  for (let t = w.startedAt; t < w.stoppedAt; t += 250) {
    const d = w.delay.samples
      .filter((x) => x.t >= t && x.t < t + 250)
      .reduce((m, x) => Math.max(m, x.delayMs), -1);
    const rec = recs.filter((r) => r.startedAt <= t).pop();
    const rate = w.shapedAt && t >= w.shapedAt && t < w.recoveredAt ? w.plan.kbit : '';
    rows.push(
      [
        ((t - w.startedAt) / 1000).toFixed(2),
        d < 0 ? '' : Math.round(d),
        rec ? rec.videoBps / 1000 : '',
        rec?.height ?? '',
        rate,
      ].join(','),
    );
  }
  writeFileSync(join(root, 'docs/uplink.csv'), rows.join('\n') + '\n');
}

function writeSection(r) {
  const before = JSON.parse(readFileSync(join(root, 'bench/results/uplink-before.json'), 'utf8'));
  const s = r.summary;
  const steps = s.recorders
    .map((x) => `${Math.max(0, x.at / 1000).toFixed(1)} s → ${x.height}p ${x.videoKbps} kbit/s`)
    .join('; ');
  const kept = r.vods.length ? (Math.max(...r.vods) / s.broadcastSec) * 100 : 0;
  const section = `<!-- uplink:start -->
## Uplink (issue 13): a creator on a bad network

\`npm run bench -- --only=uplink\` (${r.date}, load average ${r.load[0].map((x) => x.toFixed(1)).join(' ')} → ${r.load[1].map((x) => x.toFixed(1)).join(' ')} on ${'2'} cores).
Chromium (fake camera) in a network namespace, uplink shaped by tbf to ${r.plan.kbit} kbit/s from ${r.plan.shapeAtMs / 1000} s to ${(r.plan.shapeAtMs + r.plan.shapeForMs) / 1000} s of a ${r.plan.totalMs / 1000} s broadcast, local provider.
Media delay = now − capture time of the newest media the server acknowledged (recorder start + WebM time; see test/support/uplink-probe.ts). Time series: [uplink.csv](uplink.csv).
Heights are what the scaled camera track reports: Debian's Chromium here still records about 1280×720 frames from it (its MediaRecorder keeps the source's frame size), so the steps change the bitrate, not the picture size.

| | before (main ${before.commit}) | after |
|---|---|---|
| max media delay | ≥ ${(before.maxDelayMs / 1000).toFixed(1)} s (${before.delayKind}) | ${(s.maxDelayMs / 1000).toFixed(1)} s |
| max delay while shaped | ≥ ${(before.maxDelayShapedMs / 1000).toFixed(1)} s | ${(s.maxDelayShapedMs / 1000).toFixed(1)} s |
| max delay from 10 s after recovery | ${(before.maxDelayAfterRecoveryMs / 1000).toFixed(1)} s | ${(s.maxDelayAfterRecoveryMs / 1000).toFixed(1)} s |
| sockets (reconnects) | ${before.sockets} | ${s.sockets} |
| LIVE badge missing (checks every 0.5 s) | ${before.badgeMisses} | ${s.badgeMisses} |
| VOD posts | ${before.vods.length} (${before.vods.join(' s + ')} s) | ${r.vods.length} (${r.vods.join(' s + ')} s) |
| media kept (longest VOD / broadcast) | ${((Math.max(...before.vods) / before.broadcastSec) * 100).toFixed(0)}% | ${kept.toFixed(0)}% |
| quality steps | none (2.5 Mbit/s 720p throughout) | ${steps} |
| load average during the walk | ${before.load} | ${r.load[1].map((x) => x.toFixed(1)).join(' ')} |

${before.note}
<!-- uplink:end -->`;
  writeDocSection(root, 'uplink', section);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runUplink().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
