import type { IncomingMessage } from 'node:http';
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
  constructor(private readonly ingest: IngestService) {}

  handleConnection(ws: WebSocket, req: IncomingMessage): void {
    const pathname = new URL(req.url ?? '/', 'ws://localhost').pathname;
    const key = decodeURIComponent(pathname.slice('/stream/live/'.length));
    if (!/^[\w-]{8,128}$/.test(key)) {
      ws.close(CloseCode.UnknownStreamKey, 'unknown stream key');
      return;
    }
    this.ingest.open(ws, key);
  }
}
