/**
 * (g) of the pipeline e2e: the local provider's HLS output. A playlist that plays, survives an FFmpeg
 * crash by appending after a discontinuity, and ends with #EXT-X-ENDLIST as the VOD.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FfmpegPipelineFactory } from '../src/streams/pipeline/ffmpeg-pipeline.factory';
import { timeUntil } from './support/eventually';
import { decodeErrors, mediaSpan, probe } from './support/ffprobe';
import { FIXTURES_DIR, loadFixture, replayRecording } from './support/record-webm';

const report = (line: string): void => void process.stdout.write(`[pipeline e2e] ${line}\n`);

describe('FFmpeg pipeline → HLS (local provider)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vybzz-hls-'))));
  let kill = (): void => undefined;
  afterEach(() => {
    kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('(g) writes an EVENT playlist that plays, survives a restart by appending, and ends as a VOD', async () => {
    const h264 = loadFixture('h264-720p');
    const p = new FfmpegPipelineFactory().create({
      mimeType: h264.mimeType,
      output: { kind: 'hls', dir },
      ffmpegPath: 'ffmpeg',
      label: 'hls…',
      restart: { maxFailures: 3, windowMs: 60_000 },
    });
    kill = () => p.kill();
    const t0 = performance.now();
    let runningAfter = -1;
    p.on('status', (st) => {
      if (st.state === 'running' && runningAfter < 0) runningAfter = performance.now() - t0;
    });
    const firstSegment = timeUntil('the first segment', () => {
      try {
        return readFileSync(join(dir, 'index.m3u8'), 'utf8').includes('#EXTINF');
      } catch {
        return false;
      }
    });
    let killed = false;
    await replayRecording(h264, (chunk) => p.push(chunk), {
      speed: 2,
      onChunk: async (_i, mediaMs) => {
        if (!killed && mediaMs >= 4500) {
          killed = true;
          process.kill(p.stats().pid!, 'SIGKILL');
          await timeUntil('restart', () => p.stats().restarts === 1 && p.stats().pid !== null, 3000);
        }
      },
    });
    const firstSegmentMs = await firstSegment;
    await p.stop(5000);

    const playlist = readFileSync(join(dir, 'index.m3u8'), 'utf8');
    const segments = playlist.split('\n').filter((l) => l.endsWith('.ts'));
    const body = playlist.slice(playlist.indexOf('#EXTINF'));
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(playlist.trim().endsWith('#EXT-X-ENDLIST')).toBe(true);
    expect(body.match(/#EXT-X-DISCONTINUITY/g)).toHaveLength(1);
    expect(new Set(segments).size).toBe(segments.length);
    expect(segments.length).toBeGreaterThanOrEqual(5);
    for (const segment of segments) expect(await decodeErrors(join(dir, segment))).toBe('');
    const info = await probe(join(dir, 'index.m3u8'));
    expect(info.streams.map((s) => s.codecName).sort()).toEqual(['aac', 'h264']);
    const sourceSeconds = (await mediaSpan(join(FIXTURES_DIR, 'h264-720p.webm'), 'v')).span;
    // Segments cut at keyframes and the unfinished one is never listed: the restart neither loses
    // nor repeats media in the playlist.
    expect(Math.abs(info.formatDuration! - sourceSeconds)).toBeLessThanOrEqual(0.5);
    report(
      `(g) HLS: ${segments.length} segments, one discontinuity at the restart, playlist ` +
        `${info.formatDuration!.toFixed(2)} s for ${sourceSeconds.toFixed(2)} s of source; at 2× pace FFmpeg ran ` +
        `${runningAfter.toFixed(0)} ms after the first push (64 KiB probe) and listed the first 2 s segment after ` +
        `${firstSegmentMs.toFixed(0)} ms`,
    );
  });
});
