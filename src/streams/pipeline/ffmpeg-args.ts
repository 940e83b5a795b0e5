/** FFmpeg command lines for the ingest pipeline, chosen from the input's codecs and the output. */
import { join } from 'node:path';
import { maskSlaveSecrets, type RestreamSlave, teeArgs } from './tee-output';
import type { WebmTrack } from './webm-types';

export type IngestVideoCodec = 'h264' | 'vp8' | 'vp9';
export type IngestAudioCodec = 'opus';

export interface IngestCodecs {
  video: IngestVideoCodec;
  /** null: the recording has no audio track. */
  audio: IngestAudioCodec | null;
}

export type PipelineOutput =
  /** `caFile`: what an `rtmps://` peer's certificate is verified against (null: FFmpeg's default trust). */
  | {
      kind: 'rtmp';
      url: string;
      caFile?: string | null;
      /** The tcUrl to announce (FFmpeg derives it from `url` otherwise); set when `url` is the relay's. */
      tcUrl?: string;
    }
  /**
   * HLS files in `dir`: `index.m3u8` and `seg-NNNNN.ts`, appended to across restarts. `restream`: the
   * same output also goes to these RTMP(S) targets (one `tee` output; see tee-output.ts).
   */
  | { kind: 'hls'; dir: string; restream?: readonly RestreamSlave[] };

export const HLS_PLAYLIST = 'index.m3u8';
export const HLS_SEGMENT_SECONDS = 2;
export const KEYFRAME_INTERVAL_SECONDS = 2;

const VIDEO_CODECS: Partial<Record<string, IngestVideoCodec>> = {
  h264: 'h264',
  avc1: 'h264',
  avc3: 'h264',
  vp8: 'vp8',
  vp9: 'vp9',
  vp09: 'vp9',
};
const AUDIO_CODECS: Partial<Record<string, IngestAudioCodec>> = { opus: 'opus' };

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
    .map((c) => c.trim().split('.')[0] ?? '')
    .filter(Boolean);
  let video: IngestVideoCodec | undefined;
  let audio: IngestAudioCodec | null = null;
  for (const name of names) {
    const v = VIDEO_CODECS[name];
    const a = AUDIO_CODECS[name];
    if (v && !video) video = v;
    else if (a && !audio) audio = a;
    else return null;
  }
  return video ? { video, audio } : null;
}

/** The codecs the Tracks element actually declares, or null when one of them is unsupported. */
export function codecsFromTracks(tracks: readonly WebmTrack[]): IngestCodecs | null {
  const [video, ...moreVideo] = tracks.filter((t) => t.kind === 'video');
  const [audio, ...moreAudio] = tracks.filter((t) => t.kind === 'audio');
  if (!video || moreVideo.length > 0 || moreAudio.length > 0) return null;
  const videoCodec = (
    { 'V_MPEG4/ISO/AVC': 'h264', V_VP8: 'vp8', V_VP9: 'vp9' } as Partial<Record<string, IngestVideoCodec>>
  )[video.codecId];
  if (!videoCodec) return null;
  if (!audio) return { video: videoCodec, audio: null };
  return audio.codecId === 'A_OPUS' ? { video: videoCodec, audio: 'opus' } : null;
}

export function sameCodecs(a: IngestCodecs, b: IngestCodecs): boolean {
  return a.video === b.video && a.audio === b.audio;
}

/**
 * Bytes FFmpeg may read before it starts: 32 makes it start from the Tracks element alone (first
 * output ~0.05 s after the first chunk instead of ~1.4 s with the defaults; both streams are still
 * found because Tracks declares them). The price is an unknown frame rate ("1k tbr"): harmless
 * for FLV, but FFmpeg 5.1's HLS muxer then sums 1 ms per frame for the last segment's #EXTINF.
 * 64 KiB is the least that lets it measure the frame rate, so HLS output probes that much.
 * (`-analyzeduration 0` means "the default 5 s"; the probe size is what limits the probe.)
 */
export const PROBE_BYTES = { rtmp: 32, hls: 64 * 1024 } as const;

/**
 * Input: WebM on stdin. Deliberately absent: `-use_wallclock_as_timestamps 1` (breaks timing) and
 * `-fflags nobuffer` (loses the first GOP when copying).
 */
export function inputArgs(probeBytes: number = PROBE_BYTES.rtmp): string[] {
  // prettier-ignore
  return [
    '-hide_banner',
    '-loglevel', 'warning',
    '-nostats',
    '-progress', 'pipe:1',
    // Progress (output bytes and media time) 4× a second: restarts replay from the output position.
    '-stats_period', '0.25',
    '-probesize', String(probeBytes),
    '-analyzeduration', '0',
    '-f', 'matroska',
    '-i', 'pipe:0',
  ];
}

/** H.264 is copied as is; VP8/VP9 become H.264 with a keyframe every 2 s. */
export function videoArgs(codec: IngestVideoCodec): string[] {
  if (codec === 'h264') return ['-c:v', 'copy'];
  // prettier-ignore
  return [
    '-c:v', 'libx264',
    '-preset', 'veryfast',
    '-tune', 'zerolatency',
    '-pix_fmt', 'yuv420p',
    // The input's frame rate is unknown (tiny probe): give the encoder a 30 fps time base, keep VFR timing.
    '-r', '30',
    '-fps_mode', 'vfr',
    '-force_key_frames', `expr:gte(t,n_forced*${KEYFRAME_INTERVAL_SECONDS})`,
    '-g', String(30 * KEYFRAME_INTERVAL_SECONDS * 2),
    '-b:v', '2500k',
    '-maxrate', '2500k',
    '-bufsize', '5000k',
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
  /** Shifts the output's timestamps by this many seconds (HLS: after what is already listed). */
  tsOffsetSec?: number;
}

/**
 * SO_SNDBUF of FFmpeg's RTMP(S) connection. Left to autotuning it grows to tcp_wmem's maximum
 * (4 MiB here): when the receiver stops reading, that much media (~40 s of a 0.8 Mbit/s browser
 * stream) piles up in the kernel, out of reach of the queue's bound, its keyframe-aligned drops,
 * its congestion status and the stall watchdog, and is delivered stale afterwards. 256 KiB (the
 * kernel doubles it) still carries 10 Mbit/s over a 200 ms round trip.
 */
export const RTMP_SEND_BUFFER_BYTES = 256 * 1024;

export function outputArgs(output: PipelineOutput, options: OutputArgsOptions = {}): string[] {
  switch (output.kind) {
    case 'rtmp':
      // prettier-ignore
      return [
        '-f', 'flv',
        '-flvflags', 'no_duration_filesize',
        // TCP_NODELAY: without it Nagle + delayed ACKs add ~40 ms to each RTMP command round trip
        // (measured: publish 130 ms → 45 ms after connect on loopback) and hold back small audio tags.
        '-tcp_nodelay', '1',
        '-send_buffer_size', String(RTMP_SEND_BUFFER_BYTES),
        ...(output.tcUrl ? ['-rtmp_tcurl', output.tcUrl] : []),
        ...tlsArgs(output),
        output.url,
      ];
    case 'hls': {
      const offset = options.tsOffsetSec ? ['-output_ts_offset', options.tsOffsetSec.toFixed(3)] : [];
      const hls = hlsMuxerOptions(output.dir);
      const path = join(output.dir, HLS_PLAYLIST);
      if (output.restream?.length)
        return [
          ...offset,
          ...teeArgs({ format: 'hls', options: hls, path }, output.restream, RTMP_SEND_BUFFER_BYTES),
        ];
      return [...offset, '-f', 'hls', ...hls.flatMap(([k, v]) => [`-${k}`, v]), path];
    }
  }
}

/** The HLS muxer's options (name without the dash, value). */
function hlsMuxerOptions(dir: string): [string, string][] {
  return [
    ['hls_time', String(HLS_SEGMENT_SECONDS)],
    // EVENT keeps every segment. Every FFmpeg of a stream continues the playlist (append_list: after
    // a discontinuity) and none ends it: a quality step or a restart is not the end of the broadcast
    // for its viewers, and the first FFmpeg's playlist starts as the later ones rewrite it (players
    // refuse a live playlist whose discontinuity count changes). The pipeline's stop writes
    // #EXT-X-ENDLIST (endHlsPlaylist), and the finished recording always has it.
    ['hls_playlist_type', 'event'],
    ['hls_flags', 'append_list+omit_endlist+independent_segments+temp_file'],
    ['hls_segment_filename', join(dir, 'seg-%05d.ts')],
  ];
}

/**
 * FFmpeg does not check an RTMPS peer's certificate unless told to: without these it connects to any
 * self-signed endpoint and sends it the stream key. `-tls_verify 1` also checks the host name.
 */
export function tlsArgs(output: { url: string; caFile?: string | null }): string[] {
  if (!/^rtmps:/i.test(output.url)) return [];
  return ['-tls_verify', '1', ...(output.caFile ? ['-ca_file', output.caFile] : [])];
}

export function buildFfmpegArgs(
  codecs: IngestCodecs,
  output: PipelineOutput,
  options: OutputArgsOptions = {},
): string[] {
  return [
    ...inputArgs(PROBE_BYTES[output.kind]),
    '-map',
    '0:v:0',
    ...(codecs.audio ? ['-map', '0:a:0'] : []),
    ...videoArgs(codecs.video),
    ...audioArgs(codecs.audio),
    ...outputArgs(output, options),
  ];
}

/** e.g. `copy h264, opus→aac` for logs. */
export function describeCodecs({ video, audio }: IngestCodecs): string {
  return `${video === 'h264' ? 'copy h264' : `${video}→h264`}, ${audio ? `${audio}→aac` : 'no audio'}`;
}

/** Replaces the stream key (the last path segment of an RTMP URL) in `text` with `label`. */
export function maskStreamKey(text: string, output: PipelineOutput, label: string): string {
  if (output.kind !== 'rtmp') return maskSlaveSecrets(text, output.restream ?? [], label);
  const key = output.url.slice(output.url.lastIndexOf('/') + 1);
  return key.length >= 4 ? text.split(key).join(label) : text;
}
