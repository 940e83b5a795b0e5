/** FFmpeg command lines for the ingest pipeline, chosen from the input's codecs and the output. */
import { join } from 'node:path';
import type { WebmTrack } from './webm-splitter';

export type IngestVideoCodec = 'h264' | 'vp8' | 'vp9';
export type IngestAudioCodec = 'opus';

export interface IngestCodecs {
  video: IngestVideoCodec;
  /** null: the recording has no audio track. */
  audio: IngestAudioCodec | null;
}

export type PipelineOutput =
  | { kind: 'rtmp'; url: string }
  /** HLS files in `dir`: `index.m3u8` and `seg-NNNNN.ts`, appended to across restarts. */
  | { kind: 'hls'; dir: string };

export const HLS_PLAYLIST = 'index.m3u8';
export const HLS_SEGMENT_SECONDS = 2;
export const KEYFRAME_INTERVAL_SECONDS = 2;

const VIDEO_CODECS: Record<string, IngestVideoCodec> = {
  h264: 'h264',
  avc1: 'h264',
  avc3: 'h264',
  vp8: 'vp8',
  vp9: 'vp9',
  vp09: 'vp9',
};
const AUDIO_CODECS: Record<string, IngestAudioCodec> = { opus: 'opus' };

/**
 * Parses a MediaRecorder mime type such as `video/webm;codecs=h264,opus`, `video/webm;codecs="avc1.42E01F,opus"`,
 * `video/x-matroska;codecs=avc1,opus` or `video/webm;codecs=vp9,opus`. Returns null for anything the
 * pipeline cannot ingest (the socket is then closed with 4013).
 */
export function parseIngestMime(mime: string): IngestCodecs | null {
  const [type, ...params] = mime
    .toLowerCase()
    .split(';')
    .map((s) => s.trim());
  if (type !== 'video/webm' && type !== 'video/x-matroska') return null;
  const codecsParam = params.find((p) => p.startsWith('codecs='));
  if (!codecsParam) return null;
  const names = codecsParam
    .slice('codecs='.length)
    .replace(/"/g, '')
    .split(',')
    .map((c) => c.trim().split('.')[0])
    .filter(Boolean);
  let video: IngestVideoCodec | undefined;
  let audio: IngestAudioCodec | null = null;
  for (const name of names) {
    if (VIDEO_CODECS[name] && !video) video = VIDEO_CODECS[name];
    else if (AUDIO_CODECS[name] && !audio) audio = AUDIO_CODECS[name];
    else return null;
  }
  return video ? { video, audio } : null;
}

/** The codecs the Tracks element actually declares, or null when one of them is unsupported. */
export function codecsFromTracks(tracks: readonly WebmTrack[]): IngestCodecs | null {
  const video = tracks.filter((t) => t.kind === 'video');
  const audio = tracks.filter((t) => t.kind === 'audio');
  if (video.length !== 1 || audio.length > 1) return null;
  const videoCodec = (
    { 'V_MPEG4/ISO/AVC': 'h264', V_VP8: 'vp8', V_VP9: 'vp9' } as Record<string, IngestVideoCodec | undefined>
  )[video[0].codecId];
  if (!videoCodec) return null;
  if (audio.length === 0) return { video: videoCodec, audio: null };
  return audio[0].codecId === 'A_OPUS' ? { video: videoCodec, audio: 'opus' } : null;
}

export function sameCodecs(a: IngestCodecs, b: IngestCodecs): boolean {
  return a.video === b.video && a.audio === b.audio;
}

/**
 * Input: WebM on stdin. `-probesize 32 -analyzeduration 0` lets FFmpeg start from the Tracks element
 * alone (first output after ~0.05 s instead of ~1.4 s; both streams are still detected because
 * Tracks declares them). Deliberately absent: `-use_wallclock_as_timestamps 1` (breaks timing) and
 * `-fflags nobuffer` (loses the first GOP when copying).
 */
export function inputArgs(): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'warning',
    '-nostats',
    '-progress',
    'pipe:1',
    '-stats_period',
    '1',
    '-probesize',
    '32',
    '-analyzeduration',
    '0',
    '-f',
    'matroska',
    '-i',
    'pipe:0',
  ];
}

/** H.264 is copied as is; VP8/VP9 become H.264 with a keyframe every 2 s. */
export function videoArgs(codec: IngestVideoCodec): string[] {
  if (codec === 'h264') return ['-c:v', 'copy'];
  return [
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-tune',
    'zerolatency',
    '-pix_fmt',
    'yuv420p',
    // The probe-less input has no frame rate: give the encoder a sane time base, keep VFR timing.
    '-r',
    '30',
    '-fps_mode',
    'vfr',
    '-force_key_frames',
    `expr:gte(t,n_forced*${KEYFRAME_INTERVAL_SECONDS})`,
    '-g',
    String(30 * KEYFRAME_INTERVAL_SECONDS * 2),
    '-b:v',
    '2500k',
    '-maxrate',
    '2500k',
    '-bufsize',
    '5000k',
  ];
}

/**
 * Opus → AAC-LC. The AAC encode is most of the CPU when video is copied; the `fast` coder costs
 * about half of the default `twoloop` (measured: 1.0% vs 1.8% of a core for 48 kHz mono).
 */
export function audioArgs(codec: IngestAudioCodec | null): string[] {
  if (codec === null) return ['-an'];
  return ['-c:a', 'aac', '-aac_coder', 'fast', '-b:a', '128k', '-ar', '48000'];
}

export interface OutputArgsOptions {
  /** HLS only: a playlist from an earlier FFmpeg of this stream exists and is continued. */
  appendHls?: boolean;
}

export function outputArgs(output: PipelineOutput, options: OutputArgsOptions = {}): string[] {
  switch (output.kind) {
    case 'rtmp':
      return ['-f', 'flv', '-flvflags', 'no_duration_filesize', output.url];
    case 'hls':
      return [
        '-f',
        'hls',
        '-hls_time',
        String(HLS_SEGMENT_SECONDS),
        // EVENT keeps every segment; on a normal end FFmpeg adds #EXT-X-ENDLIST and it is the VOD.
        '-hls_playlist_type',
        'event',
        // A restarted FFmpeg continues the same playlist after a discontinuity instead of replacing it.
        '-hls_flags',
        options.appendHls
          ? 'append_list+discont_start+independent_segments+temp_file'
          : 'independent_segments+temp_file',
        '-hls_segment_filename',
        join(output.dir, 'seg-%05d.ts'),
        join(output.dir, HLS_PLAYLIST),
      ];
  }
}

export function buildFfmpegArgs(
  codecs: IngestCodecs,
  output: PipelineOutput,
  options: OutputArgsOptions = {},
): string[] {
  return [
    ...inputArgs(),
    '-map',
    '0:v:0',
    ...(codecs.audio ? ['-map', '0:a:0'] : []),
    ...videoArgs(codecs.video),
    ...audioArgs(codecs.audio),
    ...outputArgs(output, options),
  ];
}
