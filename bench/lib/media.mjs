/** Checks of what the RTMP receiver recorded against the WebM that was sent (test/support/ffprobe.ts). */
import { support } from './support.mjs';

const ffprobe = support('ffprobe');
const { eventually } = support('eventually');

/** Waits up to `timeoutMs` for a finished recording of every name; returns the names still missing. */
export async function waitForCompleted(rtmp, names, timeoutMs) {
  const missing = () => names.filter((n) => rtmp.completed(n).length === 0);
  await eventually('the recordings', () => missing().length === 0, timeoutMs, 250).catch(() => undefined);
  return missing();
}

function track(list) {
  if (list.length === 0) return { count: 0, span: 0, maxGap: 0, firstKey: false };
  const times = list.map((p) => p.pts).sort((a, b) => a - b);
  let maxGap = 0;
  for (let i = 1; i < times.length; i++) maxGap = Math.max(maxGap, times[i] - times[i - 1]);
  return { count: list.length, span: times.at(-1) - times[0], maxGap, firstKey: list[0].keyframe };
}

/** Packet counts, spans and the largest timestamp gap of the video and audio streams. */
export async function packetSummary(file) {
  try {
    const [v, a] = await Promise.all([ffprobe.packets(file, 'v'), ffprobe.packets(file, 'a')]);
    return { video: track(v), audio: track(a) };
  } catch (e) {
    return { error: String(e.message).trim().slice(0, 300) };
  }
}

/** What `ffmpeg -v error` says when decoding the whole file ('' when it decodes cleanly), on one thread. */
export const decodeErrors = (file) => ffprobe.decodeErrors(file, { threads: 1 });

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
