/**
 * The chat bench's load process (forked by bench/chat.mjs): anonymous watch sockets on the live room,
 * spread over the given instances, each counting the chat messages it receives and the delay from the
 * sender's clock (the bench's messages carry their send time: "b <seq> <sentAtMs>").
 *
 * IPC in: { cmd: 'join', urls, handle, count } → { type: 'joined', ok, failed, ms };
 *         { cmd: 'report', messages } → { type: 'report', … }; { cmd: 'close' } → exits.
 */
import WebSocket from 'ws';

const sockets = [];
/** Per watcher: chat messages received. */
let perWatcher = new Int32Array(0);
/** Per message seq: how many watchers got it. */
let perMessage = new Int32Array(100_000);
let latencies = new Float64Array(1 << 20);
let samples = 0;
let closedEarly = 0;
const CHAT_PREFIX = Buffer.from('{"type":"chat"');
const TEXT_FIELD = Buffer.from('"text":"b ');

function addLatency(ms) {
  if (samples === latencies.length) {
    const bigger = new Float64Array(latencies.length * 2);
    bigger.set(latencies);
    latencies = bigger;
  }
  latencies[samples++] = ms;
}

function open(url, handle, index) {
  return new Promise((resolve) => {
    // The harness should cost little per frame: no UTF-8 validation, the fields read from the bytes.
    const ws = new WebSocket(`${url}/room/${handle}`, { perMessageDeflate: false, skipUTF8Validation: true });
    let joined = false;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'join' })));
    ws.on('message', (data) => {
      const now = Date.now();
      if (!joined) {
        if (data.toString().startsWith('{"type":"joined"')) {
          joined = true;
          resolve(true);
        }
        return;
      }
      if (!data.subarray(0, 14).equals(CHAT_PREFIX)) return;
      const at = data.indexOf(TEXT_FIELD);
      if (at < 0) return;
      const seqEnd = data.indexOf(0x20, at + TEXT_FIELD.length);
      const sentEnd = data.indexOf(0x22, seqEnd + 1);
      if (seqEnd < 0 || sentEnd < 0) return;
      const seq = Number(data.toString('latin1', at + TEXT_FIELD.length, seqEnd));
      const sentAt = Number(data.toString('latin1', seqEnd + 1, sentEnd));
      perWatcher[index]++;
      perMessage[seq]++;
      addLatency(now - sentAt);
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (!joined) resolve(false);
      else closedEarly++;
    });
    sockets.push(ws);
  });
}

async function join({ urls, handle, count }) {
  const t0 = Date.now();
  perWatcher = new Int32Array(count);
  let ok = 0;
  const BATCH = 50;
  for (let i = 0; i < count; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + BATCH); j++) batch.push(open(urls[j % urls.length], handle, j));
    for (const r of await Promise.all(batch)) if (r) ok++;
  }
  return { type: 'joined', ok, failed: count - ok, ms: Date.now() - t0 };
}

function report({ messages }) {
  const lat = latencies.slice(0, samples).sort();
  const q = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.ceil(p * lat.length) - 1)] : null);
  let delivered = 0;
  for (const n of perWatcher) delivered += n;
  let complete = 0;
  for (const seq of messages) if (perMessage[seq] === perWatcher.length) complete++;
  let minPerWatcher = Infinity;
  for (const n of perWatcher) minPerWatcher = Math.min(minPerWatcher, n);
  return {
    type: 'report',
    watchers: perWatcher.length,
    delivered,
    complete,
    minPerWatcher: perWatcher.length ? minPerWatcher : 0,
    closedEarly,
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    max: lat.length ? lat[lat.length - 1] : null,
    samples,
  };
}

process.on('message', async (msg) => {
  try {
    if (msg.cmd === 'join') process.send(await join(msg));
    else if (msg.cmd === 'report') process.send(report(msg));
    else if (msg.cmd === 'close') {
      for (const ws of sockets) ws.terminate();
      process.exit(0);
    }
  } catch (e) {
    process.send({ type: 'error', message: String(e?.stack ?? e) });
  }
});
process.on('disconnect', () => process.exit(0));
