/** ffprobe/ffmpeg checks of what the RTMP receiver recorded, against the WebM that was sent. */
import { execFile } from 'node:child_process';

function run(cmd, args, timeoutMs = 120_000) {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs }, (err, stdout, stderr) =>
      resolve({ ok: !err, stdout, stderr: stderr || (err ? String(err.message) : '') }),
    );
  });
}

function track(list) {
  if (list.length === 0) return { count: 0, span: 0, maxGap: 0, firstKey: false };
  const times = list.map((p) => p.pts).sort((a, b) => a - b);
  let maxGap = 0;
  for (let i = 1; i < times.length; i++) maxGap = Math.max(maxGap, times[i] - times[i - 1]);
  return { count: list.length, span: times.at(-1) - times[0], maxGap, firstKey: list[0].key };
}

/** Packet counts, spans and the largest timestamp gap of the video and audio streams. */
export async function packetSummary(file) {
  const r = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'packet=codec_type,pts_time,flags',
    '-of',
    'csv=p=0',
    file,
  ]);
  if (!r.ok) return { error: r.stderr.trim().slice(0, 300) };
  const v = [];
  const a = [];
  for (const line of r.stdout.split('\n')) {
    const [type, pts, flags] = line.split(',');
    if (!pts || pts === 'N/A') continue;
    (type === 'video' ? v : type === 'audio' ? a : []).push({
      pts: Number(pts),
      key: (flags ?? '').includes('K'),
    });
  }
  return { video: track(v), audio: track(a) };
}

/** What `ffmpeg -v error` says when decoding the whole file ('' when it decodes cleanly). */
export async function decodeErrors(file) {
  // The null muxer's default video time base (1/frame rate) would reject the jitter of real
  // browser frame times as "non monotonically increasing dts": keep the file's own time base.
  const r = await run('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-threads',
    '1',
    '-i',
    file,
    '-enc_time_base:v',
    '-1',
    '-f',
    'null',
    '-',
  ]);
  return r.stderr.trim();
}

/**
 * A recording is complete when it lost no more than `toleranceSec` of video or audio against the
 * source (packet spans, and video packets: H.264 is copied, so every frame should arrive) and it
 * decodes without a single error.
 */
export async function checkRecording(file, source, toleranceSec = 0.5) {
  const [got, errors] = await Promise.all([packetSummary(file), decodeErrors(file)]);
  if (got.error) return { complete: false, problem: `ffprobe: ${got.error}` };
  const fps = source.video.count / Math.max(source.video.span, 1e-3);
  const problems = [];
  if (got.video.span < source.video.span - toleranceSec)
    problems.push(`video ${got.video.span.toFixed(2)} s of ${source.video.span.toFixed(2)} s`);
  if (got.video.count < source.video.count - Math.ceil(fps * toleranceSec))
    problems.push(`${got.video.count} of ${source.video.count} video frames`);
  if (source.audio.count && got.audio.span < source.audio.span - toleranceSec)
    problems.push(`audio ${got.audio.span.toFixed(2)} s of ${source.audio.span.toFixed(2)} s`);
  if (!got.video.firstKey) problems.push('does not start with a keyframe');
  if (errors) problems.push(`decode: ${errors.split('\n')[0].slice(0, 160)}`);
  return {
    complete: problems.length === 0,
    problem: problems.join('; ') || null,
    videoSpan: got.video.span,
    videoFrames: got.video.count,
    audioSpan: got.audio.span,
    maxVideoGap: got.video.maxGap,
    decodes: errors === '',
  };
}

/** Runs `fn` over `items` with at most `parallel` at a time. */
export async function mapLimit(items, parallel, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}
