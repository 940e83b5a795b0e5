/**
 * The relay baseline: what Mux's wocket demo, api.video's browser-to-RTMP and the earlier Vybzz ran,
 * one FFmpeg per stream always re-encoding, fed by the publisher worker; its recordings must decode.
 */
import { decodeErrors, mapLimit, waitForCompleted } from './media.mjs';

/** The baseline's FFmpeg arguments: always re-encode. */
export const RELAY_ARGS = [
  '-hide_banner',
  '-loglevel',
  'error',
  '-nostats',
  '-progress',
  'pipe:1',
  '-stats_period',
  '0.25',
  '-f',
  'matroska',
  '-i',
  'pipe:0',
  '-map',
  '0:v:0',
  '-map',
  '0:a:0',
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-tune',
  'zerolatency',
  '-pix_fmt',
  'yuv420p',
  '-g',
  '60',
  '-b:v',
  '2500k',
  '-maxrate',
  '2500k',
  '-bufsize',
  '5000k',
  '-c:a',
  'aac',
  '-b:a',
  '128k',
  '-ar',
  '48000',
  '-f',
  'flv',
];

export async function runRelay(ctx, streams, chunkCount) {
  const urls = Array.from({ length: streams }, (_, i) => ctx.rtmp.url(`relay${ctx.runTag}x${i}`));
  const res = await ctx.worker.request({
    cmd: 'relay',
    urls,
    chunkCount,
    args: RELAY_ARGS,
    steady: { warmMs: 3000, coolMs: 1000 },
  });
  const names = urls.map((u) => u.slice(u.lastIndexOf('/') + 1));
  const missing = await waitForCompleted(ctx.rtmp, names, 20_000);
  const decode = await mapLimit(names, 2, async (n) => {
    const f = ctx.rtmp.completed(n).at(-1);
    return f ? (await decodeErrors(f.path)) === '' : false;
  });
  ctx.rtmp.clearCompleted();
  return {
    streams,
    cpuPerStreamCores: res.cpuSeconds / res.mediaSeconds,
    wallPerStreamCores: res.cpuSeconds / (res.wallSeconds * streams),
    mediaSeconds: res.mediaSeconds,
    exitCodes: res.codes,
    outputsDecode: missing.length === 0 && decode.every(Boolean),
    stderr: res.stderr.filter(Boolean).slice(0, 2),
  };
}
