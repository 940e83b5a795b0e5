/** Server → client text frames of the ingest protocol (DESIGN.md "Ingest protocol"). */

export type PipelineState = 'starting' | 'running' | 'restarting' | 'stopping' | 'ended' | 'failed';

export interface PipelineStatus {
  state: PipelineState;
  bytesIn: number;
  queueBytes: number;
  droppedClusters: number;
  restarts: number;
  congested: boolean;
}

export interface StreamState {
  status: 'IDLE' | 'CONNECTED' | 'ACTIVE' | 'DISCONNECTED' | 'ENDED';
  isLive: boolean;
}

export type ServerMessage =
  | { type: 'ready'; streamId: string; video: 'copy' | 'transcode' }
  | { type: 'status'; pipeline?: Partial<PipelineStatus>; stream?: Partial<StreamState> }
  | { type: 'error'; message: string };

/** Parses one text frame; unknown or malformed frames give null (and are ignored). */
export function parseServerMessage(text: string): ServerMessage | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!data || typeof data !== 'object') return null;
  const msg = data as Record<string, unknown>;
  switch (msg.type) {
    case 'ready':
      return {
        type: 'ready',
        streamId: String(msg.streamId ?? ''),
        video: msg.video === 'transcode' ? 'transcode' : 'copy',
      };
    case 'status':
      return {
        type: 'status',
        pipeline: isObject(msg.pipeline) ? (msg.pipeline as Partial<PipelineStatus>) : undefined,
        stream: isObject(msg.stream) ? (msg.stream as Partial<StreamState>) : undefined,
      };
    case 'error':
      return { type: 'error', message: typeof msg.message === 'string' ? msg.message : 'Unknown server error' };
    default:
      return null;
  }
}

function isObject(v: unknown): v is object {
  return !!v && typeof v === 'object';
}
