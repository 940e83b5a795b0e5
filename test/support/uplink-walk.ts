/**
 * The shaped-uplink walk (issue 13), shared by the browser tests and `npm run bench -- --only=uplink`:
 * a creator signs up in a browser whose uplink runs through ShapedUplink, goes live for `totalMs`, the
 * uplink is shaped to `kbit` kbit/s from `shapeAtMs` for `shapeForMs`, then Stop Streaming. Every
 * `everyMs` it notes the dialog's LIVE badge and uplink indicator and the server's `isLive`; the page's
 * probe (uplink-probe.ts) gives the media delay. Imports nothing from src/ (the bench loads it too).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { eventually } from './eventually';
import { REPO_ROOT, signUpCreator, videoState } from './browser';
import { installUplinkProbe, mediaDelay, ProbeLog } from './uplink-probe';
import type { DelaySample } from './uplink-probe';
import type { ShapedUplink } from './uplink-netns';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'uplink');

export interface WalkPlan {
  totalMs: number;
  shapeAtMs: number;
  shapeForMs: number;
  kbit: number;
  everyMs: number;
}

export const DEFAULT_PLAN: WalkPlan = {
  totalMs: 60_000,
  shapeAtMs: 15_000,
  shapeForMs: 25_000,
  kbit: 400,
  everyMs: 500,
};

export interface CreatedStream {
  id: string;
  streamKey: string;
  playbackId: string;
  playbackUrl: string;
  ingestPath: string;
}

export interface WalkObservation {
  t: number;
  badge: boolean;
  serverLive: boolean | null;
  uplink: string | null;
  /** The dialog's status line ("LIVE", "Reconnecting…"). */
  status: string | null;
}

export interface WalkRecord {
  plan: WalkPlan;
  stream: CreatedStream;
  /** Page clock: the first recorder's start, shaping on/off, Stop Streaming pressed. */
  startedAt: number;
  shapedAt: number;
  recoveredAt: number;
  stoppedAt: number;
  observations: WalkObservation[];
  probe: ProbeLog;
  delay: { kind: 'ack' | 'bytesIn'; samples: DelaySample[]; unmappedAcks: number };
}

export interface WalkHooks {
  /** After Start Streaming produced media (Mux mode: deliver connected/active webhooks). */
  onStreaming?: (stream: CreatedStream) => Promise<void>;
  /** Once the dialog shows LIVE, not awaited (e.g. a viewer starts watching while the walk goes on). */
  onLive?: (stream: CreatedStream) => void;
  log?: (msg: string) => void;
}

/** Adds the probe to every page of the context; call before the first navigation. */
export async function probePage(page: Page): Promise<void> {
  await page.addInitScript(installUplinkProbe);
}

export async function readProbe(page: Page): Promise<ProbeLog> {
  return page.evaluate(() => (window as unknown as { __uplinkProbe: ProbeLog }).__uplinkProbe);
}

async function serverLive(appUrl: string, id: string): Promise<boolean | null> {
  try {
    const r = await fetch(`${appUrl}/stream/${id}`, { signal: AbortSignal.timeout(2000) });
    return ((await r.json()) as { isLive: boolean }).isLive;
  } catch {
    return null;
  }
}

/** What the walk needs from a browser (Playwright/Chromium here, Puppeteer/Firefox in firefox.ts). */
export interface WalkDriver {
  /** Probe installed, creator signed up, Go Live pressed, camera preview showing frames. */
  prepare(handle: string): Promise<CreatedStream>;
  startStreaming(): Promise<void>;
  probe(): Promise<ProbeLog>;
  waitLive(timeoutMs: number): Promise<void>;
  /** The dialog's LIVE badge, uplink indicator text and status line, right now. */
  observe(): Promise<{ badge: boolean; uplink: string | null; status: string | null }>;
  /** Stop Streaming, then wait for "Stream stopped". */
  stopStreaming(): Promise<void>;
}

export function playwrightDriver(page: Page): WalkDriver {
  const dialog = page.getByRole('dialog', { name: 'Go Live' });
  const badge = dialog.getByRole('status').getByText('LIVE', { exact: true });
  const text = (l: ReturnType<Page['locator']>) =>
    l
      .innerText({ timeout: 1000 })
      .then((x) => x.replace(/\s+/g, ' ').trim())
      .catch(() => null);
  return {
    async prepare(handle) {
      await probePage(page);
      await signUpCreator(page, { name: `Uplink ${handle}`, handle });
      const created = page.waitForResponse((r) => r.url().endsWith('/stream/create'));
      await page.getByRole('button', { name: 'Go Live' }).click();
      const stream = (await (await created).json()) as CreatedStream;
      await eventually(
        'camera preview frames',
        async () => (await videoState(dialog.getByLabel('Camera preview'))).videoWidth > 0,
      );
      return stream;
    },
    startStreaming: () => dialog.getByRole('button', { name: 'Start Streaming' }).click(),
    probe: () => readProbe(page),
    waitLive: (timeout) => badge.waitFor({ timeout }),
    async observe() {
      const [b, uplink, status] = await Promise.all([
        badge.isVisible(),
        text(dialog.getByRole('region', { name: 'Uplink' })),
        text(dialog.getByRole('status').first()),
      ]);
      return { badge: b, uplink, status };
    },
    async stopStreaming() {
      await dialog.getByRole('button', { name: 'Stop Streaming' }).click();
      await dialog.getByText('Stream stopped').waitFor({ timeout: 20_000 });
    },
  };
}

/** The walk in Chromium through Playwright. */
export function uplinkWalk(
  page: Page,
  appUrl: string,
  uplink: ShapedUplink,
  handle: string,
  plan: WalkPlan = DEFAULT_PLAN,
  hooks: WalkHooks = {},
): Promise<WalkRecord> {
  return runWalk(playwrightDriver(page), appUrl, uplink, handle, plan, hooks);
}

export async function runWalk(
  driver: WalkDriver,
  appUrl: string,
  uplink: ShapedUplink,
  handle: string,
  plan: WalkPlan = DEFAULT_PLAN,
  hooks: WalkHooks = {},
): Promise<WalkRecord> {
  const log = hooks.log ?? (() => undefined);
  const stream = await driver.prepare(handle);
  await driver.startStreaming();
  const startedAt = await eventually(
    'the first recorder',
    async () => (await driver.probe()).sockets[0]?.recorders[0]?.startedAt,
    20_000,
  );
  await hooks.onStreaming?.(stream);
  await driver.waitLive(20_000);
  log(`live ${Date.now() - startedAt} ms after the first recorder started`);
  hooks.onLive?.(stream);

  const observations: WalkObservation[] = [];
  let shapedAt = 0;
  let recoveredAt = 0;
  for (;;) {
    const at = Date.now() - startedAt;
    if (!shapedAt && at >= plan.shapeAtMs) {
      uplink.setRate(plan.kbit);
      shapedAt = Date.now();
      log(`uplink shaped to ${plan.kbit} kbit/s`);
    }
    if (shapedAt && !recoveredAt && at >= plan.shapeAtMs + plan.shapeForMs) {
      uplink.setRate(null);
      recoveredAt = Date.now();
      log('uplink unshaped');
    }
    if (at >= plan.totalMs) break;
    const [seen, live] = await Promise.all([driver.observe(), serverLive(appUrl, stream.id)]);
    observations.push({ t: Date.now(), serverLive: live, ...seen });
    const next = startedAt + Math.ceil((Date.now() - startedAt + 1) / plan.everyMs) * plan.everyMs;
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  }
  const stoppedAt = Date.now();
  await driver.stopStreaming();
  const probe = await driver.probe();
  const record: WalkRecord = {
    plan,
    stream,
    startedAt,
    shapedAt,
    recoveredAt,
    stoppedAt,
    observations,
    probe,
    delay: mediaDelay(probe),
  };
  // The whole record, for a look after a failure (and for the bench's CSV).
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, `uplink-${handle}.json`), JSON.stringify(record));
  return record;
}

/** The VOD posts of a creator (local mode: they appear once the recording is finalised). */
export async function vodPosts(
  appUrl: string,
  handle: string,
): Promise<{ durationSec: number; playbackUrl: string }[]> {
  const r = await fetch(`${appUrl}/posts?creator=${handle}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await r.json()) as { items: { kind: string; durationSec: number; playbackUrl: string }[] };
  return body.items.filter((p) => p.kind === 'VOD');
}

export interface WalkSummary {
  delayKind: 'ack' | 'bytesIn';
  maxDelayMs: number;
  maxDelayShapedMs: number;
  /** From 10 s after the uplink recovered to Stop Streaming. */
  maxDelayAfterRecoveryMs: number;
  /**
   * Delay samples in each window: a maximum over a window without samples says nothing (0), so the
   * walks require enough of them (acks come every 200 ms while media flows, two samples each).
   */
  samples: { all: number; shaped: number; afterRecovery: number };
  /** Acks the probe could not tie to a recorder (no sample): a probe or protocol mismatch. */
  unmappedAcks: number;
  broadcastSec: number;
  /** Observations where the dialog did not show LIVE / the server did not say live (after the first LIVE). */
  badgeMisses: number;
  serverMisses: number;
  sockets: number;
  /** Distinct texts of the dialog's uplink indicator, in order (consecutive repeats folded). */
  uplinkTexts: { at: number; text: string }[];
  statusTexts: { at: number; text: string }[];
  recorders: { at: number; videoKbps: number; audioKbps: number; height: number | null }[];
}

/**
 * The video rate (kbit/s) the dialog's weak-connection notice names ("Weak connection: streaming at
 * 720p · 150 kbit/s …"), else null. The height is what the browser really encodes (read from the WebM
 * header), which Chromium may keep at the camera's size: the rate is what the ladder lowered.
 */
export function weakKbps(text: string): number | null {
  const m = /weak connection: streaming at \d+p · ([\d.]+) ([kM])bit\/s/i.exec(text);
  return m ? Number(m[1]) * (m[2] === 'M' ? 1000 : 1) : null;
}

/** The dialog's "Connection recovered: quality back up to 720p · 2.5 Mbit/s" (a Mbit/s rung again). */
export const recoveredToMbit = (text: string): boolean =>
  /connection recovered: quality back up to \d+p · [\d.]+ Mbit\/s/i.test(text);

export function summarize(w: WalkRecord): WalkSummary {
  const s = w.delay.samples.filter((x) => x.t <= w.stoppedAt);
  const within = (from: number, to: number) => s.filter((x) => x.t >= from && x.t < to);
  const max = (from: number, to: number) => within(from, to).reduce((m, x) => Math.max(m, x.delayMs), 0);
  const changes = (pick: (o: WalkObservation) => string | null) => {
    const out: { at: number; text: string }[] = [];
    for (const o of w.observations) {
      const text = pick(o);
      if (text && out[out.length - 1]?.text !== text) out.push({ at: o.t - w.startedAt, text });
    }
    return out;
  };
  const texts = changes((o) => o.uplink);
  return {
    delayKind: w.delay.kind,
    maxDelayMs: max(w.startedAt, w.stoppedAt),
    maxDelayShapedMs: max(w.shapedAt, w.recoveredAt),
    maxDelayAfterRecoveryMs: max(w.recoveredAt + 10_000, w.stoppedAt),
    samples: {
      all: within(w.startedAt, w.stoppedAt).length,
      shaped: within(w.shapedAt, w.recoveredAt).length,
      afterRecovery: within(w.recoveredAt + 10_000, w.stoppedAt).length,
    },
    unmappedAcks: w.delay.unmappedAcks,
    broadcastSec: (w.stoppedAt - w.startedAt) / 1000,
    badgeMisses: w.observations.filter((o) => !o.badge).length,
    serverMisses: w.observations.filter((o) => o.serverLive === false).length,
    sockets: w.probe.sockets.length,
    uplinkTexts: texts,
    statusTexts: changes((o) => o.status),
    recorders: w.probe.sockets
      .flatMap((x) => x.recorders)
      .map((r) => ({
        at: r.t - w.startedAt,
        videoKbps: r.videoBps / 1000,
        audioKbps: r.audioBps / 1000,
        height: r.height,
      })),
  };
}

/**
 * Every window of the walk has delay samples, at least one per second on average (acks come every
 * 200 ms while media flows): otherwise a maximum of 0 could pass for a good one. Throws with the
 * counts (and the acks the probe could not tie to a recorder, the likely cause).
 */
export function expectDelayCoverage(sum: WalkSummary, w: WalkRecord): void {
  const need = (from: number, to: number) => Math.floor((to - from) / 1000);
  const want = {
    all: need(w.startedAt, w.stoppedAt),
    shaped: need(w.shapedAt, w.recoveredAt),
    afterRecovery: need(w.recoveredAt + 10_000, w.stoppedAt),
  };
  const short = (Object.keys(want) as (keyof typeof want)[]).filter((k) => sum.samples[k] < want[k]);
  if (short.length)
    throw new Error(
      `delay samples short: have ${JSON.stringify(sum.samples)}, need ${JSON.stringify(want)}; unmapped acks ${sum.unmappedAcks}`,
    );
}
