/** A publisher as the browser is one: a real `ws` client speaking the ingest protocol. */
import WebSocket from 'ws';

import { STOPPED_BY_CREATOR } from '../../src/contract/close-codes';
import type { RestreamTargetStatus } from '../../src/contract/ingest-protocol';

export { STOPPED_BY_CREATOR };

export interface ServerMsg {
  type: string;
  [k: string]: unknown;
}

/** The restream target states a status message carries (what the Go Live dialog lists), if any. */
export const restreamOf = (m: ServerMsg): RestreamTargetStatus[] | undefined =>
  m.type === 'status'
    ? (m.pipeline as { restream?: RestreamTargetStatus[] } | undefined)?.restream
    : undefined;

export class Publisher {
  readonly messages: ServerMsg[] = [];
  closed: Promise<{ code: number; reason: string }>;
  private readyResolve!: () => void;
  readonly ready: Promise<void>;

  constructor(readonly ws: WebSocket) {
    this.ready = new Promise((r) => (this.readyResolve = r));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const msg = JSON.parse((data as Buffer).toString('utf8')) as ServerMsg;
      this.messages.push(msg);
      if (msg.type === 'ready') this.readyResolve();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    ws.on('error', () => undefined);
  }

  static async connect(
    wsUrl: string,
    streamKey: string,
    headers: Record<string, string> = {},
  ): Promise<Publisher> {
    const ws = new WebSocket(`${wsUrl}/stream/live/${encodeURIComponent(streamKey)}`, { headers });
    const p = new Publisher(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
    return p;
  }

  hello(token: string, mimeType = 'video/webm;codecs=h264,opus'): void {
    this.ws.send(JSON.stringify({ type: 'hello', token, mimeType }));
  }

  /** Sends chunks at the pace they were recorded (arrivalMs), or back to back with paced=false. */
  async sendChunks(
    chunks: Buffer[],
    arrivalMs: number[] | null,
    from = 0,
    to = chunks.length,
  ): Promise<void> {
    const start = Date.now() - (arrivalMs?.[from] ?? 0);
    for (const [k, chunk] of chunks.slice(from, to).entries()) {
      const at = arrivalMs?.[from + k];
      if (at !== undefined) {
        const wait = start + at - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      if (this.ws.readyState !== WebSocket.OPEN) return;
      this.ws.send(chunk);
    }
  }

  /** Resolves with the first message matching `pred` (already received or future). */
  waitFor(pred: (m: ServerMsg) => boolean, timeoutMs = 15_000): Promise<ServerMsg> {
    const found = this.messages.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.ws.off('message', on);
        reject(
          new Error(`no matching message in ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-5))}`),
        );
      }, timeoutMs);
      const on = () => {
        const m = this.messages.find(pred);
        if (m) {
          clearTimeout(timer);
          this.ws.off('message', on);
          resolve(m);
        }
      };
      this.ws.on('message', on);
    });
  }

  /** Closes the socket; 1000 with "stopped by the creator" is Stop Streaming (the broadcast ends). */
  close(code = 1000, reason = STOPPED_BY_CREATOR): Promise<{ code: number; reason: string }> {
    this.ws.close(code, reason);
    return this.closed;
  }
}
