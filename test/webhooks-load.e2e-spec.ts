import type { LiveStream } from '../src/generated/prisma/client';
import { startApp, TestApp } from './support/app';
import { defined } from './support/indexing';
import {
  assetEvent,
  deliverMux,
  liveStreamEvent,
  muxEnv,
  muxEvent,
  MuxEventBody,
  pool,
  prepareMux,
  sendFromWorker,
  shuffle,
} from './support/mux-webhooks';
import { makeMuxStreams } from './support/stream-factory';
import { dbName, muxWebhookStats } from './support/webhook-failures';

const IN_FLIGHT = 16;
const STATES = ['connected', 'active', 'disconnected', 'idle'] as const;
const EXPECTED = {
  connected: { status: 'CONNECTED', isLive: false },
  active: { status: 'ACTIVE', isLive: true },
  disconnected: { status: 'DISCONNECTED', isLive: false },
  idle: { status: 'IDLE', isLive: false },
  deleted: { status: 'ENDED', isLive: false },
} as const;
type State = keyof typeof EXPECTED;

/** A random walk of state events for one stream, each with its own created_at; the newest wins. */
function stateEvents(s: LiveStream, count: number, start: number, rand: () => number) {
  const events: { body: MuxEventBody; state: State; at: number }[] = [];
  for (let i = 0; i < count; i++) {
    const at = start + i * 1000 + Math.floor(rand() * 900);
    const state: State =
      rand() < 0.03 ? 'deleted' : defined(STATES[Math.floor(rand() * STATES.length)], 'a state');
    events.push({ body: liveStreamEvent(state, s.providerStreamId, new Date(at)), state, at });
  }
  return events;
}

function seeded(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

async function expectNewestState(t: TestApp, newest: Map<string, { state: State; at: number }>) {
  const rows = await t.prisma.liveStream.findMany({
    where: { providerStreamId: { in: [...newest.keys()] } },
  });
  expect(rows).toHaveLength(newest.size);
  for (const row of rows) {
    const n = newest.get(row.providerStreamId)!;
    expect({
      id: row.providerStreamId,
      status: row.status,
      isLive: row.isLive,
      at: row.stateChangedAt?.getTime(),
    }).toEqual({ id: row.providerStreamId, ...EXPECTED[n.state], at: n.at });
  }
}

describe(`POST /webhooks/mux under load (${dbName()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(muxEnv());
  });
  afterAll(() => t.close());

  it('hundreds of shuffled deliveries with duplicates, 16 in flight: each event once, newest state wins, one VOD post per asset', async () => {
    const rand = seeded(20261124);
    const streams = await makeMuxStreams(t, 30);
    const start = Date.now() - 3_600_000;
    const distinct: MuxEventBody[] = [];
    const newest = new Map<string, { state: State; at: number }>();
    const assets = new Map<string, { playbackId: string; durationSec: number; streamId: string }>();
    for (const [i, s] of streams.entries()) {
      const events = stateEvents(s, 10, start, rand);
      distinct.push(...events.map((e) => e.body));
      const last = events.reduce((a, b) => (b.at > a.at ? b : a));
      newest.set(s.providerStreamId, last);
      const asset = {
        assetId: `asset-${i}-${s.id}`,
        liveStreamId: s.providerStreamId,
        playbackId: `vod${i}x${s.id.slice(0, 8)}`,
        durationSec: 60 + i,
      };
      assets.set(asset.assetId, {
        playbackId: asset.playbackId,
        durationSec: asset.durationSec,
        streamId: s.id,
      });
      distinct.push(assetEvent('video.asset.ready', asset, new Date(start + 20_000)));
      distinct.push(assetEvent('video.asset.live_stream_completed', asset, new Date(start + 21_000)));
    }
    for (let i = 0; i < 15; i++) {
      distinct.push(muxEvent('video.asset.created', { id: `other-asset-${i}` }));
      distinct.push(liveStreamEvent('active', `ls-unknown-${i}`));
    }
    const deliveries: MuxEventBody[] = [];
    for (const e of distinct) {
      deliveries.push(e);
      if (rand() < 0.5) deliveries.push(e);
      if (rand() < 0.1) deliveries.push(e);
    }
    const order = shuffle(deliveries, 42);
    expect(order.length).toBeGreaterThanOrEqual(300);

    const began = performance.now();
    const results = await pool(
      order.map((e) => () => deliverMux(t.url, e)),
      IN_FLIGHT,
    );
    const seconds = (performance.now() - began) / 1000;
    process.stdout.write(
      `[webhooks ${dbName()}] ${order.length} deliveries (${distinct.length} distinct, shuffled, duplicates) ` +
        `with ${IN_FLIGHT} in flight: ${(order.length / seconds).toFixed(0)}/s\n`,
    );

    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(await t.prisma.webhookEvent.count()).toBe(distinct.length);
    expect(await t.prisma.webhookEvent.count({ where: { processedAt: null } })).toBe(0);
    expect(await t.prisma.webhookEvent.count({ where: { attempts: { gt: 0 } } })).toBe(0);
    const ids = new Set((await t.prisma.webhookEvent.findMany({ select: { id: true } })).map((r) => r.id));
    expect(distinct.every((e) => ids.has(e.id))).toBe(true);

    await expectNewestState(t, newest);

    const posts = await t.prisma.post.findMany({ where: { kind: 'VOD' } });
    expect(posts).toHaveLength(assets.size);
    for (const p of posts) {
      const a = assets.get(p.assetId!);
      expect(a).toBeDefined();
      expect(p).toMatchObject({
        authorId: streams.find((s) => s.id === a!.streamId)!.creatorId,
        liveStreamId: a!.streamId,
        playbackId: a!.playbackId,
        playbackUrl: `https://stream.mux.com/${a!.playbackId}.m3u8`,
        durationSec: a!.durationSec,
      });
    }
    const stats = muxWebhookStats(t);
    expect(stats).toMatchObject({ stored: distinct.length, failed: 0, refused: 0 });
    expect(stats.duplicate).toBeLessThanOrEqual(order.length - distinct.length);
  });

  it('throughput: distinct state changes with 16 in flight (printed, not asserted)', async () => {
    const rand = seeded(7);
    const streams = await makeMuxStreams(t, 20);
    const start = Date.now() - 7_200_000;
    const events = streams.map((s) => ({ s, events: stateEvents(s, 100, start, rand) }));
    const newest = new Map(
      events.map(({ s, events: ev }) => [s.providerStreamId, ev.reduce((a, b) => (b.at > a.at ? b : a))]),
    );
    const bodies = shuffle(
      events.flatMap((x) => x.events.map((e) => e.body)),
      99,
    );
    const before = await t.prisma.webhookEvent.count();

    // Warm-up (JIT, pool connections), then the measured run; the sender runs in a worker thread,
    // so the rate is the app's, not the app's plus a client's on one event loop.
    const warm = await sendFromWorker(t.url, bodies.slice(0, 200).map(prepareMux), IN_FLIGHT);
    expect(warm.statuses.filter((s) => s !== 200)).toEqual([]);
    const measured = bodies.slice(200).map(prepareMux);
    const cpu = process.cpuUsage();
    const { statuses, seconds } = await sendFromWorker(t.url, measured, IN_FLIGHT);
    const used = process.cpuUsage(cpu);
    // CPU of this process (app + sender thread) per delivery: steadier than the rate on a busy machine.
    const cpuMs = (used.user + used.system) / 1000 / measured.length;
    process.stdout.write(
      `[webhooks ${dbName()}] throughput: ${measured.length} distinct deliveries with ${IN_FLIGHT} in flight in ` +
        `${seconds.toFixed(2)} s = ${(measured.length / seconds).toFixed(0)}/s (${cpuMs.toFixed(2)} ms CPU each)\n`,
    );

    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await t.prisma.webhookEvent.count()).toBe(before + bodies.length);
    await expectNewestState(t, newest);
  });
});
