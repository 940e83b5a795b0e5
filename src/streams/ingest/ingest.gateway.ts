import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { CloseCode } from '../../contract/close-codes';
import { INGEST_PATH } from '../../contract/ingest-protocol';
import { IngestService } from './ingest.service';

/** Chunks of ~250 ms at up to 8 Mbps, with room for keyframes and slow timeslices. */
export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

/** `WS /stream/live/:streamKey`: thin — it hands each socket to the IngestService. */
@WebSocketGateway({ path: INGEST_PATH, maxPayload: MAX_PAYLOAD_BYTES, perMessageDeflate: false })
export class IngestGateway implements OnGatewayConnection<WebSocket> {
  private readonly logger = new Logger('Ingest');

  constructor(private readonly ingest: IngestService) {}

  handleConnection(ws: WebSocket, req: IncomingMessage): void {
    // Nest calls this from an rxjs subscriber: a throw here would surface as an uncaught exception.
    try {
      const key = streamKeyOf(req.url);
      if (key === null) {
        ws.close(CloseCode.UnknownStreamKey, 'unknown stream key');
        return;
      }
      this.ingest.open(ws, key, req.socket.remoteAddress ?? 'unknown');
    } catch (e) {
      this.logger.error(`could not open an ingest socket: ${(e as Error).message}`);
      ws.terminate();
    }
  }
}

/** The stream key of an ingest URL, or null when it is not one (malformed or not key-shaped). */
export function streamKeyOf(url: string | undefined): string | null {
  try {
    const pathname = new URL(url ?? '/', 'ws://localhost').pathname;
    const key = decodeURIComponent(pathname.slice('/stream/live/'.length));
    return /^[\w-]{8,128}$/.test(key) ? key : null;
  } catch {
    return null;
  }
}
