/**
 * What the browser tests check on a page: a `<video>` that really plays, the ingest sockets' frames,
 * the creator sign-up flow through the SPA, the app's metrics, and a step that must answer in time.
 * Re-exported by browser.ts.
 */
import type { Locator, Page, WebSocket as PwWebSocket } from 'playwright-core';
import { eventually } from './eventually';

export interface VideoState {
  currentTime: number;
  duration: number;
  readyState: number;
  videoWidth: number;
  videoHeight: number;
  paused: boolean;
  error: string | null;
}

/** The state of a `<video>` element (the locator must resolve to one). */
export function videoState(video: Locator): Promise<VideoState> {
  return video.evaluate((v: HTMLVideoElement) => ({
    currentTime: v.currentTime,
    duration: v.duration,
    readyState: v.readyState,
    videoWidth: v.videoWidth,
    videoHeight: v.videoHeight,
    paused: v.paused,
    error: v.error ? `${v.error.code} ${v.error.message}` : null,
  }));
}

/**
 * Waits until the video really plays: decoded frames (videoWidth > 0) and currentTime advancing by
 * `advanceSec` from the first moment it had data. Calls play() (muted) when it sits paused, as a
 * viewer pressing Play would. Returns the last state seen.
 */
export async function expectVideoPlays(
  video: Locator,
  advanceSec = 1,
  timeoutMs = 30_000,
): Promise<VideoState> {
  let start: number | null = null;
  let last: VideoState | null = null;
  try {
    return await eventually(
      'the video to play',
      async () => {
        const s = await videoState(video);
        last = s;
        if (s.readyState >= 2 && s.paused) {
          await video.evaluate((v: HTMLVideoElement) => {
            v.muted = true;
            void v.play().catch(() => undefined);
          });
        }
        if (s.readyState < 2 || s.videoWidth === 0) return null;
        if (start === null) start = s.currentTime;
        return s.currentTime - start >= advanceSec ? s : null;
      },
      timeoutMs,
      200,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; last video state ${JSON.stringify(last)}`);
  }
}

/** A counter or gauge from the app's Prometheus text (sum over its label sets), or 0. */
export async function metric(appUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${appUrl}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && m[1] === name) sum += Number(m[3]);
  }
  return sum;
}

/**
 * Through the SPA: the header's "Sign in" link, the local sign-in form ("Name", "Sign in"), then the
 * creator profile on /dashboard ("Handle", "Display name", "Save profile"). Ends on /dashboard.
 */
export async function signUpCreator(
  page: Page,
  who: { name: string; handle: string; bio?: string },
): Promise<void> {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Name').fill(who.name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/dashboard');
  await page.getByLabel('Handle').fill(who.handle);
  await page.getByLabel('Display name').fill(who.name);
  if (who.bio) await page.getByLabel('Bio').fill(who.bio);
  const saved = page.waitForResponse((r) => r.url().endsWith('/users/me/creator-profile'));
  await page.getByRole('button', { name: 'Save profile' }).click();
  const res = await saved;
  if (res.status() !== 200)
    throw new Error(`saving the profile answered ${res.status()}: ${await res.text()}`);
  await page.getByRole('status').filter({ hasText: 'Profile saved.' }).waitFor();
}

/** What the page's ingest socket did, as the browser saw it. */
export interface SocketLog {
  ws: PwWebSocket;
  sentText: string[];
  received: string[];
  binaryFrames: number;
  binaryBytes: number;
  closed: boolean;
}

/** Records every ingest socket (/stream/live/…) the page opens, frame by frame. */
export function recordIngestSockets(page: Page): SocketLog[] {
  const logs: SocketLog[] = [];
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/stream/live/')) return;
    const log: SocketLog = { ws, sentText: [], received: [], binaryFrames: 0, binaryBytes: 0, closed: false };
    logs.push(log);
    ws.on('framesent', (f) => {
      if (typeof f.payload === 'string') log.sentText.push(f.payload);
      else {
        log.binaryFrames++;
        log.binaryBytes += f.payload.length;
      }
    });
    ws.on('framereceived', (f) => {
      if (typeof f.payload === 'string') log.received.push(f.payload);
    });
    ws.on('close', () => (log.closed = true));
  });
  return logs;
}

/** `promise`, or a rejection naming `what` when it takes longer than `ms` (a hung request fails its step). */
export async function within<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
