/**
 * The load generator, in its own process so its CPU is never counted as the app's: N publishers that
 * speak the ingest protocol (hello → ready → binary chunks) and send a real Chromium recording at the
 * pace it was recorded, and the always-transcode relay (FFmpeg fed the same recording on stdin).
 * Driven by bench/run.mjs over IPC.
 *
 * Per publisher it measures
 *  - send lag: when the socket finished writing a chunk (ws send callback) minus when the chunk was
 *    due by the recording's timing; back-pressure from a server that stops reading shows up here;
 *  - server lag: from every `status` the server sends, the age of the oldest byte the server had not
 *    written into FFmpeg yet (its `bytesOut` against what was sent and when);
 *  - its own timer lateness (a starved load generator shows up here, not as the server's fault).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { readStat } from './lib/proc.mjs';
import { loadRecording } from './lib/recording.mjs';
import { support } from './lib/support.mjs';

let rec;
/** Lag in the first seconds of a stream is FFmpeg starting (first output measures that). */
const STARTUP_MS = 3000;
const { sleep } = support('eventually');
const send = (msg) => process.send?.(msg);

process.on('disconnect', () => process.exit(0));
process.on('message', (msg) => {
  handle(msg).catch((e) => send({ type: 'error', id: msg.id, message: e.stack ?? String(e) }));
});

async function handle(msg) {
  switch (msg.cmd) {
    case 'load':
      rec = loadRecording(msg.base);
      rec.writable = writablePositions(msg.splitterPath);
      return send({ type: 'loaded', chunks: rec.chunks.length });
    case 'level':
      return send({ type: 'result', id: msg.id, ...(await runLevel(msg)) });
    case 'relay':
      return send({ type: 'result', id: msg.id, ...(await runRelay(msg)) });
    case 'exit':
      process.exit(0);
  }
}

/**
 * How many bytes the server can have written into FFmpeg once it has chunks 0..j: the app's own
 * WebM splitter forwards whole elements only, so a chunk that ends inside an element (Chromium's end
 * with the first byte of the next one) is not wholly writable until the next chunk arrives.
 */
function writablePositions(splitterPath) {
  const { WebmSplitter } = createRequire(import.meta.url)(splitterPath);
  const splitter = new WebmSplitter();
  let out = 0;
  splitter.on('init', (i) => (out += i.data.length));
  splitter.on('fragment', (f) => (out += f.data.length));
  return rec.chunks.map((c) => (splitter.push(c), out));
}

function percentile(values, q) {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

class BenchPublisher {
  constructor(info, index) {
    this.info = info;
    this.index = index;
    this.sentAt = [];
    this.sendLag = [];
    this.timerLate = [];
    this.serverLagMax = 0;
    /** The same, counting only statuses from the 3rd second of the stream on (FFmpeg is running by then). */
    this.steadyServerLagMax = 0;
    this.oldestUnwritten = 0;
    this.statuses = 0;
    this.congested = false;
    this.last = null;
    this.streaming = false;
    this.error = null;
  }

  connect(wsUrl, mimeType, timeoutMs) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => (this.fail('no ready in time'), resolve()), timeoutMs);
      const ws = new WebSocket(`${wsUrl}/stream/live/${encodeURIComponent(this.info.streamKey)}`, {
        perMessageDeflate: false,
      });
      this.ws = ws;
      this.closed = new Promise((r) =>
        ws.on('close', (code, reason) => r({ code, reason: reason.toString() })),
      );
      ws.on('error', (e) => this.fail(e.message));
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', token: this.info.token, mimeType })));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        const m = JSON.parse(data.toString('utf8'));
        if (m.type === 'ready') {
          clearTimeout(timer);
          resolve();
        } else if (m.type === 'status' && m.pipeline) this.onStatus(m.pipeline);
        else if (m.type === 'error') this.fail(`server error: ${m.message}`);
      });
      void this.closed.then(({ code, reason }) => {
        this.close = { code, reason };
        clearTimeout(timer);
        resolve();
      });
    });
  }

  fail(message) {
    this.error ??= message;
  }

  onStatus(p) {
    this.statuses++;
    this.last = p;
    if (p.congested || p.droppedClusters > 0) this.congested = true;
    if (!this.streaming) return;
    // The oldest chunk whose writable bytes are not all in FFmpeg yet: its age is how far the server is behind.
    const sent = this.sentAt.length;
    while (this.oldestUnwritten < sent && rec.writable[this.oldestUnwritten] <= p.bytesOut)
      this.oldestUnwritten++;
    if (this.oldestUnwritten < this.sentAt.length) {
      const lag = performance.now() - this.sentAt[this.oldestUnwritten];
      this.serverLagMax = Math.max(this.serverLagMax, lag);
      if (performance.now() - this.sentAt[0] > STARTUP_MS)
        this.steadyServerLagMax = Math.max(this.steadyServerLagMax, lag);
    }
  }

  async stream(t0, count) {
    const base = rec.arrivalMs[0];
    let total = 0;
    this.streaming = true;
    for (let j = 0; j < count; j++) {
      const due = t0 + rec.arrivalMs[j] - base;
      await sleep(due - performance.now());
      if (this.ws.readyState !== WebSocket.OPEN)
        return this.fail(`socket closed while streaming (${this.close?.code ?? '?'})`);
      const now = performance.now();
      this.timerLate.push(now - due);
      if (j === 0) this.firstChunkAt = Date.now();
      total += rec.chunks[j].length;
      this.sentAt.push(now);
      this.ws.send(rec.chunks[j], { binary: true }, () => this.sendLag.push(performance.now() - due));
    }
    this.bytesSent = total;
  }

  async finish(closeTimeoutMs) {
    this.streaming = false;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000, 'done');
    const timeout = sleep(closeTimeoutMs).then(() => null);
    const closed = await Promise.race([this.closed, timeout]);
    if (!closed) {
      this.fail('no close handshake');
      this.ws.terminate();
    }
  }

  result() {
    return {
      streamKey: this.info.streamKey,
      ok: !this.error,
      error: this.error,
      firstChunkAt: this.firstChunkAt ?? null,
      chunksSent: this.sentAt.length,
      bytesSent: this.bytesSent ?? 0,
      sendLagMaxMs: Math.max(0, ...this.sendLag),
      sendLagP99Ms: percentile(this.sendLag, 0.99),
      timerLateMaxMs: Math.max(0, ...this.timerLate),
      serverLagMaxMs: this.serverLagMax,
      steadyServerLagMaxMs: this.steadyServerLagMax,
      statuses: this.statuses,
      congested: this.congested,
      droppedClusters: this.last?.droppedClusters ?? 0,
      restarts: this.last?.restarts ?? 0,
      close: this.close ?? null,
    };
  }
}

async function runLevel({ wsUrl, mimeType, publishers, chunkCount, readyTimeoutMs = 30_000 }) {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const pubs = publishers.map((p, i) => new BenchPublisher(p, i));
  for (let i = 0; i < pubs.length; i += 16) {
    await Promise.all(pubs.slice(i, i + 16).map((p) => p.connect(wsUrl, mimeType, readyTimeoutMs)));
  }
  // Everyone starts within one timeslice, spread evenly, as independent browsers would.
  const startIn = 500;
  const t0 = performance.now() + startIn;
  const epochT0 = Date.now() + startIn;
  const spread = 250 / Math.max(1, pubs.length);
  const durationMs = rec.arrivalMs[chunkCount - 1] - rec.arrivalMs[0];
  send({ type: 'started', t0: epochT0, durationMs });
  loop.enable();
  // Bytes waiting in the app's queues, all streams together, from their latest status messages.
  const queueSeries = [];
  const queueTimer = setInterval(() => {
    queueSeries.push({ at: Date.now(), bytes: pubs.reduce((a, p) => a + (p.last?.queueBytes ?? 0), 0) });
  }, 1000);
  await Promise.all(pubs.map((p, i) => (p.error ? null : p.stream(t0 + i * spread, chunkCount))));
  clearInterval(queueTimer);
  loop.disable();
  await sleep(300); // the last send callbacks
  await Promise.all(pubs.map((p) => p.finish(20_000)));
  return {
    t0: epochT0,
    durationMs,
    loadGenerator: { loopDelayP99Ms: loop.percentile(99) / 1e6, loopDelayMaxMs: loop.max / 1e6 },
    queueSeries,
    streams: pubs.map((p) => p.result()),
  };
}

/**
 * The always-transcode relay: FFmpeg (libx264 veryfast zerolatency + AAC) fed the WebM in real time.
 * Its CPU is read here, from its parent, in the steady window, against the media time it output
 * in that window (from its `-progress` reports).
 */
async function runRelay({ urls, chunkCount, args, steady }) {
  const procs = urls.map((url) => {
    const p = spawn('ffmpeg', [...args, url], { stdio: ['pipe', 'pipe', 'pipe'] });
    setPriority(p.pid, 0); // this process runs at raised priority; the relay must not
    p.stderrText = '';
    p.progress = { outMs: 0, at: performance.now() };
    let partial = '';
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (text) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop();
      for (const l of lines) {
        const m = /^out_time_us=(\d+)/.exec(l);
        if (m) p.progress = { outMs: Number(m[1]) / 1000, at: performance.now() };
      }
    });
    p.stderr.on('data', (d) => (p.stderrText = (p.stderrText + d).slice(-2000)));
    p.stdin.on('error', () => undefined);
    p.done = new Promise((r) => p.on('close', (code) => r(code)));
    return p;
  });
  const cpuOf = (s) => (s ? s.utime + s.stime + s.cutime + s.cstime : 0);
  // Media time now: the last report plus the time since (it runs at the input's pace), at most 0.25 s.
  const mark = () => ({
    at: performance.now(),
    cpu: procs.map((p) => cpuOf(readStat(p.pid))),
    outMs: procs.map((p) => p.progress.outMs + Math.min(250, performance.now() - p.progress.at)),
  });
  const startIn = 300;
  const t0 = performance.now() + startIn;
  const durationMs = rec.arrivalMs[chunkCount - 1] - rec.arrivalMs[0];
  const marks = {};
  const timers = [
    setTimeout(() => (marks.from = mark()), startIn + steady.warmMs),
    setTimeout(() => (marks.to = mark()), startIn + durationMs - steady.coolMs),
  ];
  send({ type: 'started', t0: Date.now() + startIn, durationMs, pids: procs.map((p) => p.pid) });
  for (let j = 0; j < chunkCount; j++) {
    await sleep(t0 + rec.arrivalMs[j] - rec.arrivalMs[0] - performance.now());
    for (const p of procs) p.stdin.write(rec.chunks[j]);
  }
  for (const p of procs) p.stdin.end();
  const codes = await Promise.all(procs.map((p) => p.done));
  timers.forEach(clearTimeout);
  const sum = (a) => a.reduce((x, y) => x + y, 0);
  return {
    codes,
    stderr: procs.map((p) => p.stderrText.trim()),
    cpuSeconds: sum(marks.to.cpu) - sum(marks.from.cpu),
    mediaSeconds: (sum(marks.to.outMs) - sum(marks.from.outMs)) / 1000,
    wallSeconds: (marks.to.at - marks.from.at) / 1000,
  };
}
