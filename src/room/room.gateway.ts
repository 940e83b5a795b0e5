import type { IncomingMessage } from 'node:http';
import { Inject, Logger } from '@nestjs/common';
import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { clientAddress, trustFunction } from '../security/client-address';
import { CloseCode } from '../contract/close-codes';
import { MAX_ROOM_FRAME_BYTES, ROOM_PATH } from '../contract/room-protocol';
import { RoomService } from './room.service';

/** `WS /room/:handle`: thin — it hands each socket to the RoomService. */
@WebSocketGateway({ path: ROOM_PATH, maxPayload: MAX_ROOM_FRAME_BYTES, perMessageDeflate: false })
export class RoomGateway implements OnGatewayConnection<WebSocket> {
  private readonly logger = new Logger('Room');

  /** TRUST_PROXY: whose X-Forwarded-For gives the client's address (the per-address limits). */
  private readonly trust: ReturnType<typeof trustFunction>;

  constructor(
    private readonly rooms: RoomService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.trust = trustFunction(config.trustProxy);
  }

  handleConnection(ws: WebSocket, req: IncomingMessage): void {
    // Nest calls this from an rxjs subscriber: a throw here would surface as an uncaught exception.
    try {
      const handle = handleOf(req.url);
      if (handle === null) return ws.close(CloseCode.UnknownRoom, 'no creator has this handle');
      this.rooms.open(ws, handle, clientAddress(req, this.trust));
    } catch (e) {
      this.logger.error(`could not open a watch socket: ${(e as Error).message}`);
      ws.terminate();
    }
  }
}

/** The creator handle of a room URL, or null when it is not handle-shaped. */
export function handleOf(url: string | undefined): string | null {
  try {
    const pathname = new URL(url ?? '/', 'ws://localhost').pathname;
    const handle = decodeURIComponent(pathname.slice('/room/'.length));
    return /^[a-z0-9_]{3,30}$/.test(handle) ? handle : null;
  } catch {
    return null;
  }
}
