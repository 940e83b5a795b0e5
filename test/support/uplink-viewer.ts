/**
 * The viewer's side of the shaped-uplink walk (issue 13, "the viewer's player keeps playing across
 * quality steps"): a viewer in a browser of its own (not in the creator's shaped namespace) opens the
 * creator's public page, the live player starts, and the page samples its `<video>` every
 * SAMPLE_EVERY_MS (currentTime, readyState, paused, error, size) plus its stall events, in the page
 * itself so the sampling does not wait on the test's round trips. `summarizeViewer` turns the samples
 * into the longest stall once playing, the errors, and the video sizes the player went through.
 */
import type { Page } from 'playwright-core';
import { expectVideoPlays } from './browser';
import { pairs } from './indexing';

export const SAMPLE_EVERY_MS = 250;

export interface ViewerSample {
  /** Wall clock (Date.now()), comparable with the creator page's probe. */
  t: number;
  currentTime: number;
  readyState: number;
  paused: boolean;
  /** MediaError code, or null. */
  error: number | null;
  width: number;
  height: number;
  /** The live player's <video> is on the page. */
  present: boolean;
  /** The buffered ranges, [start, end] in seconds. */
  buffered: [number, number][];
}

export interface ViewerLog {
  samples: ViewerSample[];
  events: { t: number; type: string; currentTime: number }[];
}

/** The live section's <video> on /c/<handle>. */
const LIVE_VIDEO = 'section.live-section video';

/** Opens /c/<handle>, waits until the live player plays, then samples it until `viewerLog` is read. */
export async function watchLive(page: Page, handle: string): Promise<void> {
  await page.goto(`/c/${handle}`);
  const video = page.locator(LIVE_VIDEO);
  await video.waitFor({ timeout: 20_000 });
  await expectVideoPlays(video, 1, 30_000);
  await page.evaluate(
    ({ selector, every }) => {
      const log: ViewerLog = { samples: [], events: [] };
      (window as unknown as { __viewer: ViewerLog }).__viewer = log;
      let watched: HTMLVideoElement | null = null;
      const listen = (v: HTMLVideoElement) => {
        for (const type of [
          'waiting',
          'stalled',
          'playing',
          'pause',
          'error',
          'resize',
          'emptied',
          'ended',
          'seeking',
        ])
          v.addEventListener(type, () =>
            log.events.push({ t: Date.now(), type, currentTime: v.currentTime }),
          );
      };
      setInterval(() => {
        const v = document.querySelector<HTMLVideoElement>(selector);
        if (v && v !== watched) listen((watched = v));
        log.samples.push({
          t: Date.now(),
          currentTime: v?.currentTime ?? 0,
          readyState: v?.readyState ?? 0,
          paused: v?.paused ?? true,
          error: v?.error?.code ?? null,
          width: v?.videoWidth ?? 0,
          height: v?.videoHeight ?? 0,
          present: v !== null,
          buffered: v
            ? Array.from({ length: v.buffered.length }, (_, i) => [
                +v.buffered.start(i).toFixed(2),
                +v.buffered.end(i).toFixed(2),
              ])
            : [],
        });
      }, every);
    },
    { selector: LIVE_VIDEO, every: SAMPLE_EVERY_MS },
  );
}

export function viewerLog(page: Page): Promise<ViewerLog> {
  return page.evaluate(() => (window as unknown as { __viewer: ViewerLog }).__viewer);
}

export interface ViewerSummary {
  /** Samples taken in [from, to]. */
  samples: number;
  /** The longest wall-clock time in [from, to] during which currentTime did not advance. */
  maxStallMs: number;
  /** Media played over [from, to] / wall-clock time (1: kept up; stalls and seeks move it). */
  playedRatio: number;
  /** Samples with a media error, without the player's <video>, or paused. */
  errors: number;
  missing: number;
  paused: number;
  /** currentTime advanced within the last second before `to`. */
  playingAtEnd: boolean;
  /** Distinct video sizes in order (consecutive repeats folded): the rendition changes it played. */
  sizes: string[];
  waitingEvents: number;
}

/** The viewer's samples between `from` and `to` (wall clock), e.g. shaping on → Stop Streaming. */
export function summarizeViewer(log: ViewerLog, from: number, to: number): ViewerSummary {
  const s = log.samples.filter((x) => x.t >= from && x.t <= to);
  let maxStallMs = 0;
  let lastAdvance = s[0]?.t ?? from;
  for (const [before, x] of pairs(s)) {
    if (x.currentTime > before.currentTime) lastAdvance = x.t;
    maxStallMs = Math.max(maxStallMs, x.t - lastAdvance);
  }
  const sizes: string[] = [];
  for (const x of s) {
    const size = `${x.width}x${x.height}`;
    if (x.height && sizes[sizes.length - 1] !== size) sizes.push(size);
  }
  const first = s[0];
  const last = s.at(-1);
  return {
    samples: s.length,
    maxStallMs: last ? Math.max(maxStallMs, to - last.t) : to - from,
    playedRatio:
      first && last && last.t > first.t
        ? (last.currentTime - first.currentTime) / ((last.t - first.t) / 1000)
        : 0,
    errors: s.filter((x) => x.error !== null).length,
    missing: s.filter((x) => !x.present).length,
    paused: s.filter((x) => x.paused).length,
    playingAtEnd: s.length > 0 && to - lastAdvance <= 1000,
    sizes,
    waitingEvents: log.events.filter((e) => e.type === 'waiting' && e.t >= from && e.t <= to).length,
  };
}

export interface PlaylistPart {
  /** Where it starts on the player's timeline (seconds): the #EXTINF before it. */
  start: number;
  durationSec: number;
  /** Its segments' size over its duration. */
  kbps: number;
}

/**
 * The parts of an HLS playlist (split at #EXT-X-DISCONTINUITY; hls.js places a part at the #EXTINF
 * listed before it). Each part is one FFmpeg, i.e. one recorder of the creator: a quality step, or
 * stale media dropped; its bitrate tells which rung it was.
 */
export async function playlistParts(playlistUrl: string): Promise<PlaylistPart[]> {
  const get = (url: string, method = 'GET') => fetch(url, { method, signal: AbortSignal.timeout(10_000) });
  const text = await (await get(playlistUrl)).text();
  const parts: { start: number; durationSec: number; segments: string[] }[] = [];
  let at = 0;
  let duration = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#EXT-X-DISCONTINUITY') && parts[parts.length - 1]?.segments.length !== 0)
      parts.push({ start: at, durationSec: 0, segments: [] });
    const d = /^#EXTINF:([\d.]+)/.exec(line);
    if (d) duration = Number(d[1]);
    if (line.endsWith('.ts')) {
      let part = parts.at(-1);
      if (!part) parts.push((part = { start: 0, durationSec: 0, segments: [] }));
      part.segments.push(new URL(line, playlistUrl).href);
      part.durationSec += duration;
      at += duration;
    }
  }
  const out: PlaylistPart[] = [];
  for (const p of parts.filter((x) => x.segments.length)) {
    let bytes = 0;
    for (const url of p.segments)
      bytes += Number((await get(url, 'HEAD')).headers.get('content-length') ?? 0);
    out.push({
      start: p.start,
      durationSec: p.durationSec,
      kbps: p.durationSec ? (bytes * 8) / p.durationSec / 1000 : 0,
    });
  }
  return out;
}

/** Which of `starts` the viewer played across: currentTime went from before `at - margin` to past `at + margin`. */
export function playedAcross(log: ViewerLog, starts: number[], marginSec = 1): boolean[] {
  const times = log.samples.filter((x) => x.present && x.error === null).map((x) => x.currentTime);
  return starts.map((at) => {
    const before = times.findIndex((t) => t < at - marginSec);
    return before >= 0 && times.slice(before).some((t) => t > at + marginSec);
  });
}
