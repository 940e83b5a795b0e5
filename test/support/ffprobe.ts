/** ffprobe/ffmpeg helpers for tests: what a media file holds, how long it is, whether it decodes. */
import { execFile } from 'node:child_process';

export interface ProbedStream {
  index: number;
  codecType: string;
  codecName: string;
  profile?: string;
  width?: number;
  height?: number;
  sampleRate?: number;
}

export interface ProbeResult {
  formatName: string;
  /** The container's duration in seconds, when it states one. */
  formatDuration?: number;
  streams: ProbedStream[];
}

export interface PacketInfo {
  /** Presentation time in seconds. */
  pts: number;
  keyframe: boolean;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err && 'code' in err && typeof err.code === 'number' ? err.code : err ? null : 0;
      if (err && code === null) reject(new Error(`${cmd} failed: ${err.message}`, { cause: err }));
      else resolve({ code, stdout, stderr });
    });
  });
}

/** Streams, codecs, profiles and the container duration (ffprobe JSON). */
export async function probe(file: string): Promise<ProbeResult> {
  const { stdout, stderr, code } = await run('ffprobe', [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    file,
  ]);
  if (code !== 0) throw new Error(`ffprobe ${file} failed: ${stderr}`);
  const json = JSON.parse(stdout) as {
    format: { format_name: string; duration?: string };
    streams: Array<{
      index: number;
      codec_type: string;
      codec_name: string;
      profile?: string;
      width?: number;
      height?: number;
      sample_rate?: string;
    }>;
  };
  return {
    formatName: json.format.format_name,
    formatDuration: json.format.duration ? Number(json.format.duration) : undefined,
    streams: json.streams.map((s) => ({
      index: s.index,
      codecType: s.codec_type,
      codecName: s.codec_name,
      profile: s.profile,
      width: s.width,
      height: s.height,
      sampleRate: s.sample_rate ? Number(s.sample_rate) : undefined,
    })),
  };
}

/** Packet timestamps of the first video (`v`) or audio (`a`) stream, in file order. */
export async function packets(file: string, stream: 'v' | 'a'): Promise<PacketInfo[]> {
  const { stdout, stderr, code } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    `${stream}:0`,
    '-show_entries',
    'packet=pts_time,flags',
    '-of',
    'csv=p=0',
    file,
  ]);
  if (code !== 0) throw new Error(`ffprobe packets ${file} failed: ${stderr}`);
  return stdout
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('N/A'))
    .map((l) => {
      const [pts, flags] = l.split(',');
      return { pts: Number(pts), keyframe: (flags ?? '').includes('K') };
    });
}

/** First and last packet time of a stream and the span between them (seconds). */
export async function mediaSpan(
  file: string,
  stream: 'v' | 'a',
): Promise<{ start: number; end: number; span: number; count: number }> {
  const list = await packets(file, stream);
  if (list.length === 0) return { start: 0, end: 0, span: 0, count: 0 };
  const times = list.map((p) => p.pts);
  const start = Math.min(...times);
  const end = Math.max(...times);
  return { start, end, span: end - start, count: list.length };
}

/**
 * Decodes the whole file (`ffmpeg -v error -i file -f null -`) and returns what it complained about.
 * `exactTimestamps` adds `-enc_time_base -1`: the null output then keeps the file's millisecond
 * timestamps instead of rounding them to 1/fps, which otherwise makes two frames collide
 * ("non monotonically increasing dts") when a recording starts at an odd offset, e.g. the publish
 * of a restarted FFmpeg that begins at the replayed keyframe's source time.
 */
export async function decodeErrors(
  file: string,
  options: { exactTimestamps?: boolean; threads?: number } = {},
): Promise<string> {
  // On by default: live camera frames come at uneven times, and rounding them to 1/fps in the null
  // muxer reports colliding dts that are not in the file.
  const exact = options.exactTimestamps === false ? [] : ['-enc_time_base', '-1'];
  const threads = options.threads === undefined ? [] : ['-threads', String(options.threads)];
  const { stderr } = await run('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    ...threads,
    '-i',
    file,
    ...exact,
    '-f',
    'null',
    '-',
  ]);
  return stderr.trim();
}
