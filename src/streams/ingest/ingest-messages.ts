import type { PipelineStats } from '../pipeline/ffmpeg-pipeline';

/** Client → server: the first text frame. Binary frames after `ready` are media chunks. */
export interface HelloMessage {
  type: 'hello';
  token: string;
  mimeType: string;
}

/** Server → client text frames. */
export type ServerMessage =
  | { type: 'ready'; streamId: string; video: 'copy' | 'transcode' }
  | {
      type: 'status';
      pipeline?: PipelineStats;
      stream?: { status: string; isLive: boolean };
    }
  | { type: 'error'; message: string };

export function parseHello(data: string): HelloMessage | null {
  let msg: unknown;
  try {
    msg = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof msg !== 'object' || msg === null) return null;
  const m = msg as Record<string, unknown>;
  if (m.type !== 'hello' || typeof m.token !== 'string' || typeof m.mimeType !== 'string') return null;
  if (m.token.length > 8192 || m.mimeType.length > 200) return null;
  return { type: 'hello', token: m.token, mimeType: m.mimeType };
}
