import { buildFfmpegArgs, tlsArgs, codecsFromTracks, parseIngestMime } from './ffmpeg-args';

describe('parseIngestMime', () => {
  it.each([
    ['video/webm;codecs=h264,opus', { video: 'h264', audio: 'opus' }],
    ['video/webm; codecs="avc1.42E01F, opus"', { video: 'h264', audio: 'opus' }],
    ['video/x-matroska;codecs=avc1,opus', { video: 'h264', audio: 'opus' }],
    ['VIDEO/WEBM;CODECS=VP8,OPUS', { video: 'vp8', audio: 'opus' }],
    ['video/webm;codecs=vp9,opus', { video: 'vp9', audio: 'opus' }],
    ['video/webm;codecs=vp09.00.10.08,opus', { video: 'vp9', audio: 'opus' }],
    ['video/webm;codecs=vp8', { video: 'vp8', audio: null }],
  ])('%s → %j', (mime, expected) => {
    expect(parseIngestMime(mime)).toEqual(expected);
  });

  it.each([
    'video/mp4;codecs=avc1,mp4a',
    'video/webm',
    'audio/webm;codecs=opus',
    'video/webm;codecs=opus',
    'video/webm;codecs=av1,opus',
    'video/webm;codecs=h264,vorbis',
    'video/webm;codecs=h264,vp8',
    '',
  ])('%j is unsupported (close code 4013)', (mime) => {
    expect(parseIngestMime(mime)).toBeNull();
  });
});

describe('codecsFromTracks', () => {
  const opus = { number: 1, kind: 'audio' as const, codecId: 'A_OPUS' };
  it('reads the codecs the Tracks element declares', () => {
    expect(codecsFromTracks([opus, { number: 2, kind: 'video', codecId: 'V_MPEG4/ISO/AVC' }])).toEqual({
      video: 'h264',
      audio: 'opus',
    });
    expect(codecsFromTracks([{ number: 1, kind: 'video', codecId: 'V_VP9' }])).toEqual({
      video: 'vp9',
      audio: null,
    });
  });
  it('rejects tracks it cannot handle', () => {
    expect(codecsFromTracks([opus])).toBeNull();
    expect(codecsFromTracks([opus, { number: 2, kind: 'video', codecId: 'V_AV1' }])).toBeNull();
    expect(
      codecsFromTracks([
        { number: 2, kind: 'video', codecId: 'V_VP8' },
        { ...opus, codecId: 'A_VORBIS' },
      ]),
    ).toBeNull();
  });
});

describe('buildFfmpegArgs', () => {
  const rtmp = { kind: 'rtmp' as const, url: 'rtmps://global-live.mux.com:443/app/KEY' };
  const valueOf = (args: string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

  it('copies H.264, encodes Opus to AAC and publishes FLV with probe-less fast start', () => {
    const args = buildFfmpegArgs({ video: 'h264', audio: 'opus' }, rtmp);
    expect(valueOf(args, '-c:v')).toBe('copy');
    expect(valueOf(args, '-c:a')).toBe('aac');
    expect(valueOf(args, '-ar')).toBe('48000');
    expect(valueOf(args, '-probesize')).toBe('32');
    expect(valueOf(args, '-analyzeduration')).toBe('0');
    expect(valueOf(args, '-i')).toBe('pipe:0');
    expect(args.indexOf('-probesize')).toBeLessThan(args.indexOf('-i'));
    expect(args.slice(-11)).toEqual([
      '-f',
      'flv',
      '-flvflags',
      'no_duration_filesize',
      '-tcp_nodelay',
      '1',
      '-send_buffer_size',
      String(256 * 1024),
      '-tls_verify',
      '1',
      rtmp.url,
    ]);
    expect(args).not.toContain('libx264');
  });

  it.each(['vp8', 'vp9'] as const)('transcodes %s to H.264 with a keyframe every 2 s', (video) => {
    const args = buildFfmpegArgs({ video, audio: 'opus' }, rtmp);
    expect(valueOf(args, '-c:v')).toBe('libx264');
    expect(valueOf(args, '-preset')).toBe('veryfast');
    expect(valueOf(args, '-tune')).toBe('zerolatency');
    expect(valueOf(args, '-pix_fmt')).toBe('yuv420p');
    expect(valueOf(args, '-force_key_frames')).toBe('expr:gte(t,n_forced*2)');
  });

  it('never uses the flags that break timing or lose the first GOP', () => {
    for (const video of ['h264', 'vp8'] as const) {
      const joined = buildFfmpegArgs({ video, audio: 'opus' }, rtmp).join(' ');
      expect(joined).not.toMatch(/use_wallclock_as_timestamps|nobuffer/);
    }
  });

  it('maps audio only when there is an audio track', () => {
    const args = buildFfmpegArgs({ video: 'h264', audio: null }, rtmp);
    expect(args).toContain('-an');
    expect(args.filter((a) => a.startsWith('0:'))).toEqual(['0:v:0']);
  });

  it('writes an EVENT HLS playlist with 2 s segments, appending after a restart', () => {
    const hls = { kind: 'hls' as const, dir: '/data/live/abc' };
    const first = buildFfmpegArgs({ video: 'h264', audio: 'opus' }, hls);
    expect(valueOf(first, '-f')).toBe('matroska');
    // Enough probe for FFmpeg to know the frame rate, else the last #EXTINF is wrong (FFmpeg 5.1).
    expect(valueOf(first, '-probesize')).toBe('65536');
    expect(first.slice(first.lastIndexOf('-f'))).toEqual([
      '-f',
      'hls',
      '-hls_time',
      '2',
      '-hls_playlist_type',
      'event',
      '-hls_flags',
      'append_list+omit_endlist+independent_segments+temp_file',
      '-hls_segment_filename',
      '/data/live/abc/seg-%05d.ts',
      '/data/live/abc/index.m3u8',
    ]);
    const again = buildFfmpegArgs({ video: 'h264', audio: 'opus' }, hls, { tsOffsetSec: 12.25 });
    expect(valueOf(again, '-hls_flags')).toBe(valueOf(first, '-hls_flags'));
    expect(valueOf(again, '-output_ts_offset')).toBe('12.250');
  });
});

describe('tlsArgs', () => {
  it('verifies rtmps:// peers (with the configured CA file) and leaves plain rtmp:// alone', () => {
    const codecs = { video: 'h264', audio: 'opus' } as const;
    const tls = buildFfmpegArgs(codecs, {
      kind: 'rtmp',
      url: 'rtmps://global-live.mux.com:443/app/k',
      caFile: '/etc/ssl/certs/ca-certificates.crt',
    });
    const at = tls.indexOf('-tls_verify');
    expect(tls.slice(at, at + 4)).toEqual([
      '-tls_verify',
      '1',
      '-ca_file',
      '/etc/ssl/certs/ca-certificates.crt',
    ]);
    expect(at).toBeLessThan(tls.length - 1); // an output option: before the URL
    expect(tlsArgs({ url: 'RTMPS://x/app/k' })).toEqual(['-tls_verify', '1']);
    expect(tlsArgs({ url: 'rtmp://127.0.0.1/app/k', caFile: '/ca.pem' })).toEqual([]);
  });
});
