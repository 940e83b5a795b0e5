#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [-- --levels=1,10,20] [-- --record] [-- --keep] [-- --profile=<dir>]`
 *
 * Starts the real app (own process, fresh PostgreSQL database, Mux mode against a stand-in Mux API),
 * a real RTMP receiver (nginx-rtmp on loopback) and a separate load-generator process, then measures
 * CPU per stream against an always-transcode relay, a concurrency sweep, server-added latency, first
 * RTMP output, memory per stream (also with a stalled receiver) and webhook throughput. Writes
 * bench/results/latest.json and docs/benchmarks.md (a --quick smoke run writes bench/results/quick.json only).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_DIR, buildApp, createDatabase, scrapeMetrics, startApp } from './lib/app.mjs';
import { machineInfo } from './lib/machine.mjs';
import { packetSummary } from './lib/media.mjs';
import { QUEUE_BOUND_BYTES, measureIdle, runLevel } from './lib/phases.mjs';
import { runRelay } from './lib/relay.mjs';
import { chunkCountFor, ensureRecording, loadRecording, writePrefix } from './lib/recording.mjs';
import { renderMarkdown, summarize } from './lib/report.mjs';
import { MiB } from './lib/stats.mjs';
import { support } from './lib/support.mjs';
import { runWebhooks } from './lib/webhooks.mjs';
import { PublisherWorker } from './lib/worker.mjs';

const { MuxStandin } = support('mux-standin');
const { RtmpReceiver } = support('rtmp-receiver');
const { keepPhaseSections } = support('doc-sections');

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(benchDir, '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = flag('quick');
// --only=uplink: just the shaped-uplink phase (bench/uplink.mjs); the other results stay as they are.
if (option('only') === 'uplink') {
  await (await import('./uplink.mjs')).runUplink();
  process.exit(0);
}
// --only=restream: the cost of each restream target (bench/restream.mjs).
if (option('only') === 'restream') {
  await (await import('./restream.mjs')).runRestream();
  process.exit(0);
}
// --only=storm: the reconnect storm, the pipeline cap and the key relay's cost (bench/storm.mjs).
if (option('only') === 'storm') {
  await (await import('./storm.mjs')).runStorm();
  process.exit(0);
}
// --only=chat: just the live room's fan-out phase (bench/chat.mjs).
if (option('only') === 'chat') {
  await (await import('./chat.mjs')).runChat();
  process.exit(0);
}
/** --skip=relay,stall,webhooks: a partial run while profiling (written to bench/results/partial.json only). */
const skip = new Set((option('skip') ?? '').split(',').filter(Boolean));

const FULL = {
  recordSeconds: 60,
  levelSeconds: 30,
  levels: [1, 10, 20, 40, 60, 80, 100, 120, 140, 160, 200],
  cpuLevels: [10, 20, 40],
  latencyLevel: 20,
  relayStreams: 1,
  stall: { streams: 20, atMs: 10_000, forMs: 30_000 },
  webhooks: { count: 3000, inFlight: 16 },
  budgetMs: 14 * 60_000,
};
const QUICK = {
  recordSeconds: null, // the committed 9 s fixture: no browser needed
  levelSeconds: 8,
  levels: [1, 4],
  cpuLevels: [1, 4],
  latencyLevel: 4,
  relayStreams: 1,
  stall: { streams: 3, atMs: 2500, forMs: 4000 },
  webhooks: { count: 300, inFlight: 16 },
  budgetMs: 4 * 60_000,
};
const cfg = { ...(quick ? QUICK : FULL) };
if (option('levels')) cfg.levels = option('levels').split(',').map(Number);

const started = Date.now();
const elapsed = () => ((Date.now() - started) / 1000).toFixed(0).padStart(4);
const log = (msg) => process.stdout.write(`[bench ${elapsed()}s] ${msg}\n`);

const cleanups = [];
async function cleanup() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    await Promise.resolve()
      .then(fn)
      .catch((e) => log(`cleanup: ${e.message}`));
  }
}
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${sig}: stopping everything …`);
    void cleanup().then(() => process.exit(130));
  });
}

async function main() {
  const meta = machineInfo(root);
  log(
    `${meta.nproc} cores (${meta.cpuModel}), ${meta.memoryGiB} GiB, node ${meta.node}, ffmpeg ${meta.ffmpeg}, load ${meta.loadAverageAtStart.join(' ')}`,
  );
  if (meta.loadAverageAtStart[0] > 0.7)
    log('warning: the machine is busy; CPU-bound results will be pessimistic');
  if (!flag('no-build')) buildApp(root, log);

  const work = mkdtempSync(join(tmpdir(), 'vybzz-bench-'));
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));
  const rec = cfg.recordSeconds
    ? await ensureRecording(join(benchDir, '.cache'), cfg.recordSeconds, { fresh: flag('record'), log })
    : {
        ...loadRecording(join(root, 'test/fixtures/h264-720p')),
        webmPath: join(root, 'test/fixtures/h264-720p.webm'),
      };
  const recordingBase = rec.webmPath.replace(/\.webm$/, '');
  const levelChunks = chunkCountFor(rec, cfg.levelSeconds);
  const levelSource = await packetSummary(writePrefix(rec, levelChunks, join(work, 'level-source.webm')));
  const fullSource = await packetSummary(rec.webmPath);
  log(
    `recording: ${rec.chunks.length} chunks, ${(rec.data.length / MiB).toFixed(1)} MiB, video ${fullSource.video.span.toFixed(1)} s; levels send ${levelChunks} chunks (${levelSource.video.span.toFixed(1)} s)`,
  );

  const db = await createDatabase();
  cleanups.push(() => db.drop());
  const rtmp = await RtmpReceiver.start();
  cleanups.push(() => rtmp.stop(!flag('keep')));
  const mux = await MuxStandin.start();
  cleanups.push(() => mux.stop());
  const profileDir = option('profile');
  const bootApp = async () => {
    const started = await startApp(
      root,
      { DATABASE_URL: db.url, ...mux.env(rtmp.appUrl) },
      // --profile=<dir>: the app writes a V8 CPU profile there when it exits.
      // --app-node-args=a,b: more flags for the app's node (e.g. --perf-basic-prof for perf).
      {
        nodeArgs: [
          ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`] : []),
          ...(option('app-node-args')?.split(',') ?? []),
        ],
      },
    );
    cleanups.push(() => started.stop());
    return started;
  };
  const app = await bootApp();
  log(`app ${app.pid} on ${app.url}, database ${db.name}, nginx-rtmp ${rtmp.pid} on :${rtmp.port}`);
  const worker = await PublisherWorker.start(
    benchDir,
    recordingBase,
    join(root, BUILD_DIR, 'streams/pipeline/webm-splitter.js'),
  );
  cleanups.push(() => worker.stop());
  // The publishers and the receiver stand for browsers and Mux, which run on other machines: they
  // get priority over everything else here, so a busy machine shows as the app's lag, not theirs.
  for (const pid of [worker.pid, rtmp.pid]) {
    try {
      setPriority(pid, -10);
    } catch (e) {
      log(`could not raise the priority of ${pid}: ${e.message}`);
    }
  }
  const ctx = {
    app,
    rtmp,
    mux,
    worker,
    log,
    mimeType: rec.mimeType,
    runTag: Date.now().toString(36).slice(-5),
    keepFiles: flag('keep'),
  };

  const results = {
    meta,
    config: cfg,
    recording: {
      chunks: rec.chunks.length,
      bytes: rec.data.length,
      videoSeconds: fullSource.video.span,
      videoMbps: (rec.data.length * 8) / fullSource.video.span / 1e6,
      levelSeconds: levelSource.video.span,
      chunkIntervalMs: (rec.arrivalMs.at(-1) - rec.arrivalMs[0]) / (rec.arrivalMs.length - 1),
      source: recordingBase.replace(root + '/', ''),
    },
  };
  await scrapeMetrics(app.url);
  results.idle = await measureIdle(ctx, 4);
  log(
    `idle: ${(results.idle.cpuCores * 100).toFixed(2)}% of a core, RSS ${(results.idle.rssBytes / MiB).toFixed(0)} MiB`,
  );

  if (!skip.has('relay')) {
    log(`transcode relay × ${cfg.relayStreams} (libx264 veryfast zerolatency + AAC) …`);
    results.relay = await runRelay(ctx, cfg.relayStreams, levelChunks);
    log(`relay: ${(results.relay.cpuPerStreamCores * 100).toFixed(2)}% of a core per stream`);
  }

  results.levels = [];
  const reserveMs = (quick ? 30 : 110) * 1000 + (cfg.stall.atMs + cfg.stall.forMs) * 2;
  for (const n of cfg.levels) {
    const estimateMs = cfg.levelSeconds * 1000 + 15_000 + n * 600;
    if (Date.now() - started + estimateMs + reserveMs > cfg.budgetMs) {
      results.sweepStoppedBy = `time budget (${cfg.budgetMs / 60000} min) before ${n} streams`;
      log(`sweep: stopping before ${n} streams (time budget)`);
      break;
    }
    log(`level ${n}: ${n} publisher(s) × ${cfg.levelSeconds} s …`);
    const level = await runLevel(ctx, n, {
      chunkCount: levelChunks,
      source: levelSource.video ? levelSource : null,
      idleRss: results.idle.rssBytes,
    });
    results.levels.push(level);
    log(
      `level ${n}: ${level.pass ? 'PASS' : 'FAIL'} (${level.verdict}); ${(level.cpu.perStreamCores * 100).toFixed(2)}%/stream, ` +
        `node ${level.memory.perStreamMiB.toFixed(1)} MiB/stream, lag send ${Math.round(level.lag.sendMaxMs)} / server ${Math.round(level.lag.serverMaxMs)} ms, ` +
        `first output p50 ${level.firstOutputMs.p50} ms, complete ${level.recordings.complete}/${n}, machine ${level.cpu.machineCores.toFixed(2)} cores`,
    );
    if (!level.pass) {
      results.sweepStoppedBy = `first failing level ${n} streams: ${level.verdict}`;
      break;
    }
  }

  if (skip.size) {
    if (!skip.has('stall'))
      results.stall = await runLevel(ctx, cfg.stall.streams, {
        chunkCount: rec.chunks.length,
        source: fullSource,
        idleRss: results.idle.rssBytes,
        stall: cfg.stall,
        judge: false,
      });
    if (!skip.has('webhooks'))
      results.webhooks = await runWebhooks(ctx, cfg.webhooks.count, cfg.webhooks.inFlight);
    writeFileSync(join(benchDir, 'results', 'partial.json'), JSON.stringify(results, null, 2) + '\n');
    log('partial run: wrote bench/results/partial.json');
    return;
  }
  // The stalled receiver gets a freshly started app, so its memory is not mixed with the sweep's.
  await app.stop();
  ctx.app = await bootApp();
  await scrapeMetrics(ctx.app.url);
  const stallIdle = await measureIdle(ctx, 4);
  log(
    `stalled receiver: ${cfg.stall.streams} publishers × ${fullSource.video.span.toFixed(0)} s, nginx stopped ${cfg.stall.forMs / 1000} s (app restarted: ${ctx.app.pid}) …`,
  );
  const stall = await runLevel(ctx, cfg.stall.streams, {
    chunkCount: rec.chunks.length,
    source: fullSource,
    idleRss: stallIdle.rssBytes,
    stall: cfg.stall,
    judge: false,
  });
  results.stall = { ...stall, stallSeconds: cfg.stall.forMs / 1000, queueBoundMiB: QUEUE_BOUND_BYTES / MiB };
  log(
    `stall: node RSS peak ${stall.memory.rssPeakMiB.toFixed(0)} MiB (${stall.memory.peakPerStreamMiB.toFixed(1)} MiB/stream), queues peak ${stall.memory.queuePeakMiB.toFixed(1)} MiB, dropped clusters ${stall.droppedClusters}`,
  );

  log(`webhooks: ${cfg.webhooks.count} signed deliveries, ${cfg.webhooks.inFlight} in flight …`);
  results.webhooks = await runWebhooks(ctx, cfg.webhooks.count, cfg.webhooks.inFlight);
  log(
    `webhooks: ${results.webhooks.perSecond?.toFixed(0)}/s, p99 ${results.webhooks.p99Ms?.toFixed(1)} ms, statuses ${JSON.stringify(results.webhooks.statuses)}`,
  );

  results.durationSeconds = (Date.now() - started) / 1000;
  results.summary = summarize(results, cfg);
  const outDir = join(benchDir, 'results');
  mkdirSync(outDir, { recursive: true });
  const jsonPath = join(outDir, quick ? 'quick.json' : 'latest.json');
  writeFileSync(jsonPath, JSON.stringify(results, null, 2) + '\n');
  const md = renderMarkdown(results, cfg);
  // The page is rewritten whole, but the phases' own sections (--only=<phase>) are kept.
  const doc = join(root, 'docs/benchmarks.md');
  const previous = existsSync(doc) ? readFileSync(doc, 'utf8') : null;
  if (!quick || flag('write-docs')) writeFileSync(doc, keepPhaseSections(md, previous));
  log(
    `wrote ${jsonPath.replace(root + '/', '')}${!quick || flag('write-docs') ? ' and docs/benchmarks.md' : ''}`,
  );
  process.stdout.write(`\n${md.split('\n## ')[1] ? '## ' + md.split('\n## ')[1] : md}\n`);
}

main()
  .then(cleanup, async (e) => {
    log(`failed: ${e.stack ?? e}`);
    await cleanup();
    process.exitCode = 1;
  })
  .finally(() => log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`));
