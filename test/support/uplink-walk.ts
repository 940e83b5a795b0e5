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

export * from './uplink-summary';

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
