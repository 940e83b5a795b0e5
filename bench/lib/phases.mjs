/**
 * The bench's measurements, each against the running app, nginx and the publisher worker (`ctx`):
 * idle cost, the transcode relay, one concurrency level (optionally with a stalled receiver), and
 * webhook throughput.
 */
import { makePublishers, scrapeMetrics } from './app.mjs';
import { checkRecording, mapLimit, waitForCompleted } from './media.mjs';
import { cpuMark, ffmpegMemory, rssOf } from './proc.mjs';
import { MiB, histogramCount, histogramQuantile, max, mean, percentile } from './stats.mjs';
import { support } from './support.mjs';

const { sleep } = support('eventually');

export const LATENCY_METRIC = 'vybzz_ingest_write_latency_seconds';
/** The app's queue bound per stream (FfmpegPipeline's default queueBytes). */
export const QUEUE_BOUND_BYTES = 8 * MiB;

/** The steady part of a paced run: after the start-up, before the last second. */
function steadyWindow(started) {
  const warm = Math.min(3000, started.durationMs * 0.2);
  const cool = Math.min(1000, started.durationMs * 0.1);
  return { from: started.t0 + warm, to: started.t0 + started.durationMs - cool };
}

const at = (epochMs, fn) => setTimeout(fn, Math.max(0, epochMs - Date.now()));

export async function measureIdle(ctx, seconds) {
  await sleep(2000); // start-up work (JIT, first GCs) settles
  const a = cpuMark(ctx);
  const rss = [];
  for (let i = 0; i < seconds * 4; i++) {
    rss.push(rssOf(ctx.app.pid));
    await sleep(250);
  }
  const b = cpuMark(ctx);
  const dt = (b.at - a.at) / 1000;
  return {
    cpuCores: (b.app.cpu - a.app.cpu) / dt,
    rssBytes: mean(rss),
    machineCores: (b.machine - a.machine) / dt,
  };
}

/**
 * One concurrency level: `n` fresh creators publish `chunkCount` chunks of the recording at its pace;
 * then every recording is checked against `source`. `stall` ({atMs, forMs}) freezes nginx meanwhile.
 */
export async function runLevel(ctx, n, { chunkCount, source, idleRss, stall = null, judge = true }) {
  const { app, rtmp, worker, log } = ctx;
  const pubs = await makePublishers(app.url, ctx.runTag, n);
  const keys = pubs.map((p) => p.streamKey);
  rtmp.watchFirstMedia(keys, 30_000);
  const before = await scrapeMetrics(app.url);
  const marks = {};
  const rss = [];
  let window;
  let t0 = 0;
  let streamingEnd = Promise.resolve({});
  let kernelQueued = null;
  const rssTimer = setInterval(
    () => rss.push({ at: Date.now(), bytes: rssOf(app.pid) ?? 0 }),
    stall ? 250 : 500,
  );
  const timers = [];
  let res;
  try {
    res = await worker.request(
      { cmd: 'level', wsUrl: app.wsUrl, mimeType: ctx.mimeType, publishers: pubs, chunkCount },
      'result',
      (started) => {
        window = steadyWindow(started);
        t0 = started.t0;
        // Scrapes reset the event-loop delay monitor: one at the start and one at the end of the
        // paced sending, so its worst delay is that of the streaming itself (not of admissions).
        scrapeMetrics(app.url).catch(() => undefined);
        timers.push(
          at(t0 + started.durationMs, () => (streamingEnd = scrapeMetrics(app.url).catch(() => ({})))),
        );
        timers.push(
          at(window.from, () => (marks.from = cpuMark(ctx))),
          at(window.to, () => ((marks.to = cpuMark(ctx)), (marks.ffmpeg = ffmpegMemory(app.pid)))),
        );
        if (stall) {
          timers.push(
            at(
              started.t0 + stall.atMs,
              () => (log(`  nginx SIGSTOP for ${stall.forMs / 1000} s`), rtmp.stall()),
            ),
          );
          // What waits in the kernel for nginx, every 2 s while it is frozen (the peak is reported).
          for (let ms = 2000; ms < stall.forMs; ms += 2000)
            timers.push(
              at(
                started.t0 + stall.atMs + ms,
                () => (kernelQueued = Math.max(kernelQueued ?? 0, rtmp.sendQueueBytes() ?? 0)),
              ),
            );
          timers.push(
            at(started.t0 + stall.atMs + stall.forMs, () => {
              log(
                `  nginx SIGCONT (FFmpeg's TCP send queues peaked at ${((kernelQueued ?? 0) / MiB).toFixed(1)} MiB)`,
              );
              rtmp.resume();
            }),
          );
        }
      },
    );
  } finally {
    timers.forEach(clearTimeout);
    clearInterval(rssTimer);
    rtmp.resume();
  }
  const missing = await waitForCompleted(rtmp, keys, 30_000 + n * 300);
  const after = await scrapeMetrics(app.url);
  const checks = await mapLimit(keys, 2, async (key) => {
    const files = rtmp.completed(key);
    if (files.length === 0) return { complete: false, decodes: false, problem: 'no finished recording' };
    const c = await checkRecording(files.at(-1).path, source);
    if (files.length > 1)
      return {
        ...c,
        complete: false,
        problem: `${files.length} publishes (FFmpeg restarted); ${c.problem ?? ''}`,
      };
    return c;
  });
  if (!ctx.keepFiles) rtmp.clearCompleted();

  const streams = res.streams;
  const queue = res.queueSeries;
  const dt = marks.from && marks.to ? (marks.to.at - marks.from.at) / 1000 : NaN;
  const d = (k) => (marks.to[k]?.cpu ?? marks.to[k]) - (marks.from[k]?.cpu ?? marks.from[k]);
  const appCores = d('app') / dt;
  const inWindow = rss.filter((s) => s.at >= window.from && s.at <= window.to).map((s) => s.bytes);
  const events = rtmp.events();
  const firstOut = [];
  const publishAfter = [];
  for (const s of streams) {
    if (!s.firstChunkAt) continue;
    const media = rtmp.firstMedia.get(s.streamKey);
    if (media) firstOut.push(media - s.firstChunkAt);
    const pub = events.find((e) => e.kind === 'publish' && e.name === s.streamKey);
    if (pub) publishAfter.push(pub.atMs - s.firstChunkAt);
  }
  const lat = (q) => histogramQuantile(LATENCY_METRIC, before, after, q);
  const failures = streams.filter((s) => !s.ok).map((s) => s.error);
  const sendLagMax = max(streams.map((s) => s.sendLagMaxMs)) ?? 0;
  const serverLagMax = max(streams.map((s) => s.serverLagMaxMs)) ?? 0;
  const complete = checks.filter((c) => c.complete).length;
  const problems = checks
    .map((c, i) => (c.complete ? null : `${keys[i].slice(0, 6)}…: ${c.problem}`))
    .filter(Boolean);
  const verdict = [];
  if (failures.length) verdict.push(`${failures.length} publisher(s) failed: ${failures[0]}`);
  if (sendLagMax > 500) verdict.push(`send lag ${Math.round(sendLagMax)} ms`);
  if (serverLagMax > 500) {
    const steady = max(streams.map((s) => s.steadyServerLagMaxMs)) ?? 0;
    verdict.push(`server lag ${Math.round(serverLagMax)} ms (after the first 3 s: ${Math.round(steady)} ms)`);
  }
  // Status messages come once a second, so a short stall of the app can fall between two of them;
  // its event loop's worst delay catches it (chunks arriving meanwhile waited that long).
  const loop = await streamingEnd;
  const loopMaxMs = (loop.vybzz_nodejs_eventloop_lag_max_seconds ?? 0) * 1000;
  if (loopMaxMs > 500) verdict.push(`app event loop stalled ${Math.round(loopMaxMs)} ms`);
  if (complete < n) verdict.push(`${n - complete} of ${n} recordings incomplete`);
  if (missing.length) verdict.push(`${missing.length} recordings never finished`);
  return {
    n,
    windowSeconds: dt,
    cpu: {
      appCores,
      perStreamCores: appCores / n,
      nodePerStreamCores: (marks.to.app.selfCpu - marks.from.app.selfCpu) / dt / n,
      ffmpegPerStreamCores: (d('app') - (marks.to.app.selfCpu - marks.from.app.selfCpu)) / dt / n,
      loadGeneratorCores: d('worker') / dt,
      nginxCores: d('nginx') / dt,
      machineCores: d('machine') / dt,
      otherCores: (d('machine') - d('app') - d('worker') - d('nginx')) / dt,
      ffmpegProcesses: marks.to?.app?.ffmpegs ?? null,
    },
    memory: {
      idleRssMiB: idleRss / MiB,
      rssMeanMiB: mean(inWindow) / MiB,
      rssPeakMiB: max(rss.map((s) => s.bytes)) / MiB,
      perStreamMiB: (mean(inWindow) - idleRss) / n / MiB,
      peakPerStreamMiB: (max(rss.map((s) => s.bytes)) - idleRss) / n / MiB,
      ffmpegRssPerStreamMiB: marks.ffmpeg?.count ? marks.ffmpeg.rss / marks.ffmpeg.count / MiB : null,
      ffmpegPssPerStreamMiB: marks.ffmpeg?.count ? marks.ffmpeg.pss / marks.ffmpeg.count / MiB : null,
      queuePeakMiB: (max(queue.map((q) => q.bytes)) ?? 0) / MiB,
      ...(stall
        ? { ...stallMemory(rss, queue, t0, stall, window), kernelSendQueuesMiB: kernelQueued / MiB }
        : {}),
    },
    lag: {
      sendMaxMs: sendLagMax,
      sendP99MaxMs: max(streams.map((s) => s.sendLagP99Ms)),
      serverMaxMs: serverLagMax,
      steadyServerMaxMs: max(streams.map((s) => s.steadyServerLagMaxMs)) ?? 0,
      loadGeneratorTimerLateMaxMs: max(streams.map((s) => s.timerLateMaxMs)),
      loadGeneratorLoopP99Ms: res.loadGenerator.loopDelayP99Ms,
    },
    firstOutputMs: {
      p50: percentile(firstOut, 0.5),
      p95: percentile(firstOut, 0.95),
      max: max(firstOut),
      measured: firstOut.length,
    },
    publishAfterMs: { p50: percentile(publishAfter, 0.5), max: max(publishAfter) },
    writeLatencyMs: {
      p50: lat(0.5) === null ? null : lat(0.5) * 1000,
      p99: lat(0.99) === null ? null : lat(0.99) * 1000,
      samples: histogramCount(LATENCY_METRIC, before, after),
    },
    eventLoopLagP99Ms: (loop.vybzz_nodejs_eventloop_lag_p99_seconds ?? NaN) * 1000,
    eventLoopLagMaxMs: loopMaxMs,
    congestedStreams: streams.filter((s) => s.congested).length,
    droppedClusters: streams.reduce((a, s) => a + s.droppedClusters, 0),
    restarts: streams.reduce((a, s) => a + s.restarts, 0),
    recordings: {
      complete,
      decodes: checks.filter((c) => c.decodes).length,
      missing: missing.length,
      problems: problems.slice(0, 5),
    },
    pass: judge ? verdict.length === 0 : null,
    verdict: verdict.join('; ') || 'ok',
  };
}

/** RSS before the stall (steady) and at its worst (during the stall and the catch-up after it). */
function stallMemory(rss, queue, t0, stall, window) {
  const before = rss.filter((s) => s.at >= window.from && s.at < t0 + stall.atMs).map((s) => s.bytes);
  const during = rss.filter((s) => s.at >= t0 + stall.atMs).map((s) => s.bytes);
  const lastQueue = queue.filter((q) => q.at > t0 + stall.atMs + stall.forMs + 5000).map((q) => q.bytes);
  return {
    beforeStallMiB: mean(before) / MiB,
    stallPeakMiB: max(during) / MiB,
    growthMiB: (max(during) - mean(before)) / MiB,
    queueAfterRecoveryMiB: lastQueue.length ? Math.min(...lastQueue) / MiB : null,
  };
}
