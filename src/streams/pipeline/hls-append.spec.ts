import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPEND_MARGIN_SEC, endHlsPlaylist, hlsAppendOffset, playlistDuration } from './hls-append';
import { buildFfmpegArgs } from './ffmpeg-args';

const PLAYLIST = `#EXTM3U
#EXT-X-VERSION:6
#EXT-X-TARGETDURATION:2
#EXT-X-PLAYLIST-TYPE:EVENT
#EXTINF:2.000000,
seg-00000.ts
#EXTINF:1.966000,
seg-00001.ts
#EXT-X-DISCONTINUITY
#EXTINF:0.534000,
seg-00002.ts
`;

describe('appending to an HLS recording', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'hls-append-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sums #EXTINF across discontinuities', () => {
    expect(playlistDuration(PLAYLIST)).toBe(4.5);
    expect(playlistDuration('#EXTM3U\n')).toBeNull();
  });

  it('starts the next FFmpeg after everything listed, or says there is nothing to append to', () => {
    expect(hlsAppendOffset(dir)).toBeNull();
    writeFileSync(join(dir, 'index.m3u8'), '#EXTM3U\n');
    expect(hlsAppendOffset(dir)).toBe(0);
    writeFileSync(join(dir, 'index.m3u8'), PLAYLIST);
    expect(hlsAppendOffset(dir)).toBe(4.5 + APPEND_MARGIN_SEC);
  });

  it('shifts the output timestamps only when asked', () => {
    const codecs = { video: 'h264', audio: 'opus' } as const;
    const out = { kind: 'hls', dir } as const;
    expect(buildFfmpegArgs(codecs, out)).not.toContain('-output_ts_offset');
    const args = buildFfmpegArgs(codecs, out, { tsOffsetSec: 4.75 });
    expect(args.slice(args.indexOf('-output_ts_offset'), args.indexOf('-output_ts_offset') + 3)).toEqual([
      '-output_ts_offset',
      '4.750',
      '-f',
    ]);
    expect(args[args.indexOf('-hls_flags') + 1]).toContain('append_list');
  });

  it('ends a playlist once, and leaves a missing one missing', () => {
    endHlsPlaylist(dir);
    expect(() => readFileSync(join(dir, 'index.m3u8'))).toThrow();
    writeFileSync(join(dir, 'index.m3u8'), PLAYLIST);
    endHlsPlaylist(dir);
    endHlsPlaylist(dir);
    expect(readFileSync(join(dir, 'index.m3u8'), 'utf8')).toBe(`${PLAYLIST}#EXT-X-ENDLIST\n`);
  });
});
