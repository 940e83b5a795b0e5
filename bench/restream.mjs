/**
 * `npm run bench -- --only=restream`: what each restream target costs (issue 12). The app runs as its
 * own process in local mode; the same 20 s H.264 broadcast (test/fixtures/h264-720p, copied, audio to
 * AAC) is published with 0, 1, 2 and 3 restream targets, each a real nginx-rtmp receiver on loopback.
 * CPU of the broadcast's FFmpeg and of the app (its own threads, which relay each target's FLV on
 * loopback; not its children) is read from /proc
 * over the steady middle of each broadcast and given as ms of CPU per second of media. Writes the
 * "Restream" section of docs/benchmarks.md and bench/results/restream.json, leaving the rest alone.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, call, createDatabase, startApp } from './lib/app.mjs';
import { descendants, readStat } from './lib/proc.mjs';
import { writeDocSection } from './lib/doc-section.mjs';
import { support } from './lib/support.mjs';

const { Publisher } = support('ingest-client');
const { loadFixture, loopFixture } = support('record-webm');
const { RtmpReceiver } = support('rtmp-receiver');
const { mediaSpan } = support('ffprobe');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const log = (m) => process.stdout.write(`[bench restream] ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const FIXTURE = 'h264-720p';
const BROADCAST_SEC = 20;
/** The measured window: after FFmpeg and the targets have settled, before the end. */
const WINDOW = { fromSec: 5, toSec: 17 };
const TARGET_COUNTS = [0, 1, 2, 3];

const cpuOf = (s) => (s ? s.utime + s.stime : 0);
/** The app's own CPU seconds and its FFmpeg children's (alive ones). */
function sample(appPid) {
  const ffmpegs = descendants(appPid).filter((s) => s.comm === 'ffmpeg');
  return {
    t: Date.now(),
    app: cpuOf(readStat(appPid)),
    ffmpeg: ffmpegs.reduce((a, s) => a + cpuOf(s), 0),
    n: ffmpegs.length,
  };
}

async function broadcast(app, fixture, receivers, tag) {
  const handle = `rs${tag}${Date.now().toString(36)}`.slice(0, 30);
  const { token } = await call(app.url, 'POST', '/auth/dev-login', { name: `Bench ${handle}` });
  await call(app.url, 'PUT', '/users/me/creator-profile', { handle, displayName: handle }, token);
  const keys = receivers.map((_, i) => `bench-key-${tag}-${i}`);
  for (const [i, r] of receivers.entries())
    await call(
      app.url,
      'POST',
      '/users/me/restream-targets',
      { name: `T${i}`, url: `rtmp://127.0.0.1:${r.port}/app`, streamKey: keys[i] },
      token,
    );
  const stream = await call(app.url, 'POST', '/stream/create', { title: 'bench' }, token);
  const p = await Publisher.connect(app.wsUrl, stream.streamKey);
  p.hello(token, fixture.mimeType);
  await p.ready;
  const looped = loopFixture(fixture, BROADCAST_SEC);
  const started = Date.now();
  const sending = p.sendChunks(looped.chunks, looped.mediaMs);
  await sleep(WINDOW.fromSec * 1000 - (Date.now() - started));
  const a = sample(app.pid);
  await sleep(WINDOW.toSec * 1000 - (Date.now() - started));
  const b = sample(app.pid);
  await sending;
  const last = p.messages.filter((m) => m.type === 'status' && m.pipeline?.restream).at(-1);
  await p.close(1000);
  const wallSec = (b.t - a.t) / 1000;
  const spans = [];
  for (const [i, r] of receivers.entries()) {
    const [rec] = await r.waitForCompleteRecordings(1, keys[i], 20_000);
    spans.push(Number((await mediaSpan(rec.path, 'v')).span.toFixed(1)));
  }
  return {
    targets: receivers.length,
    ffmpegProcesses: a.n,
    ffmpegMsPerSec: ((b.ffmpeg - a.ffmpeg) * 1000) / wallSec,
    appMsPerSec: ((b.app - a.app) * 1000) / wallSec,
    states: last?.pipeline.restream.map((x) => x.state) ?? [],
    receivedSec: spans,
    sentSec: looped.mediaMs.at(-1) / 1000,
  };
}

export async function runRestream() {
  buildApp(root, log);
  const db = await createDatabase();
  const app = await startApp(root, { DATABASE_URL: db.url });
  const receivers = [];
  const loadBefore = loadavg();
  try {
    for (let i = 0; i < Math.max(...TARGET_COUNTS); i++) receivers.push(await RtmpReceiver.start());
    const fixture = loadFixture(FIXTURE);
    const runs = [];
    for (const n of TARGET_COUNTS) {
      const r = await broadcast(app, fixture, receivers.slice(0, n), `${n}`);
      log(
        `${n} target(s): FFmpeg ${r.ffmpegMsPerSec.toFixed(1)} ms/s, app ${r.appMsPerSec.toFixed(1)} ms/s, targets ${r.states.join(',') || '-'}, received ${r.receivedSec.join(', ') || '-'} s`,
      );
      runs.push(r);
    }
    const result = {
      date: new Date().toISOString(),
      fixture: FIXTURE,
      window: WINDOW,
      load: [loadBefore, loadavg()],
      runs,
    };
    writeFileSync(join(root, 'bench/results/restream.json'), JSON.stringify(result, null, 1));
    writeSection(result);
  } finally {
    for (const r of receivers) await r.stop(true).catch(() => undefined);
    await app.stop();
    await db.drop?.();
  }
}

/** Least-squares slope of y over x: the cost of one more target. */
function slope(xs, ys) {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den ? num / den : 0;
}

export function writeSection(r) {
  const xs = r.runs.map((x) => x.targets);
  const ff = slope(
    xs,
    r.runs.map((x) => x.ffmpegMsPerSec),
  );
  const ap = slope(
    xs,
    r.runs.map((x) => x.appMsPerSec),
  );
  const rows = r.runs
    .map(
      (x) =>
        `| ${x.targets} | ${x.ffmpegMsPerSec.toFixed(1)} | ${x.appMsPerSec.toFixed(1)} | ${x.states.join(', ') || '—'} | ${x.receivedSec.map((s) => `${s} s`).join(', ') || '—'} |`,
    )
    .join('\n');
  const pct = (ms) => `${(ms / 10).toFixed(2)}% of a core`;
  const base = r.runs.find((x) => x.targets === 0)?.ffmpegMsPerSec ?? 0;
  const apps = r.runs.map((x) => x.appMsPerSec);
  const spread = Math.max(...apps) - Math.min(...apps);
  const section = `<!-- restream:start -->
## Restream (issue 12): the cost of each extra target

\`npm run bench -- --only=restream\` (${r.date}, load average ${r.load[0].map((x) => x.toFixed(1)).join(' ')} → ${r.load[1].map((x) => x.toFixed(1)).join(' ')} on 2 cores, shared with other work).
Local mode, the app as its own process; the same ${BROADCAST_SEC} s broadcast (\`${r.fixture}\`: H.264 copied, Opus → AAC) with 0–3 restream targets, each a real nginx-rtmp receiver on loopback (tee muxer, one FLV slave per target).
CPU from /proc over ${r.window.fromSec}–${r.window.toSec} s of each broadcast, in ms of CPU per second of media (1000 = one core).

| targets | FFmpeg ms/s | app ms/s | target states | received by each target |
|---|---|---|---|---|
${rows}

Per extra target (least-squares slope over the four runs): **FFmpeg ${ff.toFixed(1)} ms/s (${pct(ff)})**, against ${base.toFixed(1)} ms/s for the broadcast itself with no target; **app ${ap.toFixed(1)} ms/s (${pct(ap)})**, with its readings spreading ${spread.toFixed(1)} ms/s between runs (the app relays each target's FLV on loopback to the target, adding the key: bytes copied, no media work). The encoded stream is copied to each target (one more FLV mux and socket write per packet), never encoded again. Every target received the whole broadcast (≈ ${r.runs.at(-1).sentSec.toFixed(0)} s sent).
<!-- restream:end -->`;
  writeDocSection(root, 'restream', section);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runRestream().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
