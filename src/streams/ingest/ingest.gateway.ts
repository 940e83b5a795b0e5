import type { IncomingMessage } from 'node:http';
import { Inject, Logger } from '@nestjs/common';
import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { APP_CONFIG } from '../../config/app-config.module';
import type { AppConfig } from '../../config/app-config';
import { clientAddress, trustFunction } from '../../security/client-address';
import { CloseCode } from '../../contract/close-codes';
import { INGEST_PATH } from '../../contract/ingest-protocol';
import { IngestService } from './ingest.service';

/** Chunks of ~250 ms at up to 8 Mbps, with room for keyframes and slow timeslices. */
export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

/** `WS /stream/live/:streamKey`: thin — it hands each socket to the IngestService. */
@WebSocketGateway({ path: INGEST_PATH, maxPayload: MAX_PAYLOAD_BYTES, perMessageDeflate: false })
export class IngestGateway implements OnGatewayConnection<WebSocket> {
  private readonly logger = new Logger('Ingest');

  /** TRUST_PROXY: whose X-Forwarded-For gives the client's address (the per-address limits). */
  private readonly trust: ReturnType<typeof trustFunction>;

  constructor(
    private readonly ingest: IngestService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.trust = trustFunction(config.trustProxy);
  }

  handleConnection(ws: WebSocket, req: IncomingMessage): void {
    // Nest calls this from an rxjs subscriber: a throw here would surface as an uncaught exception.
    try {
      const key = streamKeyOf(req.url);
      if (key === null) {
        ws.close(CloseCode.UnknownStreamKey, 'unknown stream key');
        return;
      }
      this.ingest.open(ws, key, clientAddress(req, this.trust));
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
