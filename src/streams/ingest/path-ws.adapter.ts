import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { match, type MatchFunction } from 'path-to-regexp';
import type { Observable } from 'rxjs';
import type { WebSocket, WebSocketServer } from 'ws';

type PathServer = WebSocketServer & { path: string };

/**
 * The stock WsAdapter matches exact paths and destroys every other upgrade. This one matches gateway
 * paths with path-to-regexp (`/stream/live/:streamKey`), refuses cross-origin browsers with 403 before
 * upgrading, and answers 404 to upgrades on unknown paths instead of dropping them.
 */
export class PathWsAdapter extends WsAdapter {
  private readonly matchers = new Map<string, MatchFunction<Partial<Record<string, string>>>>();
  private readonly servers: PathServer[] = [];
  private bound = false;

  constructor(
    app: INestApplicationContext,
    private readonly originAllowed: (req: IncomingMessage) => boolean,
  ) {
    super(app);
  }

  override create(port: number, options: Record<string, unknown> & { path?: string }): WebSocketServer {
    const server = super.create(port, options) as PathServer;
    if (options.path) {
      this.matchers.set(server.path, match(server.path, { decode: decodeURIComponent }));
      this.servers.push(server);
    }
    return server;
  }

  /** Nest would JSON.parse every binary media frame for @SubscribeMessage handlers we do not use. */
  override bindMessageHandlers(
    client: WebSocket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    if (handlers.length) super.bindMessageHandlers(client, handlers, transform);
  }

  protected override ensureHttpServerExists(port: number, httpServer?: Server): Server | undefined {
    if (this.bound || !httpServer) return super.ensureHttpServerExists(port, httpServer);
    this.bound = true;
    this.httpServersRegistry.set(port, httpServer);
    httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head),
    );
    return httpServer;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'ws://localhost').pathname;
    } catch {
      return reject(socket, 400, 'Bad Request');
    }
    const server = this.servers.find((s) => this.matchers.get(s.path)?.(pathname));
    if (!server) return reject(socket, 404, 'Not Found');
    if (!this.originAllowed(req)) return reject(socket, 403, 'Forbidden');
    server.handleUpgrade(req, socket, head, (ws) => server.emit('connection', ws, req));
  }

  /** The params a gateway path matched, e.g. `{ streamKey }`. */
  params(path: string, req: IncomingMessage): Partial<Record<string, string>> {
    const pathname = new URL(req.url ?? '/', 'ws://localhost').pathname;
    const m = this.matchers.get(path)?.(pathname);
    return m ? m.params : {};
  }
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Same-origin browsers (or the configured origins) may open the ingest socket; non-browser clients send no Origin. */
export function originPolicy(allowedOrigins: string[]): (req: IncomingMessage) => boolean {
  return (req) => {
    const origin = req.headers.origin;
    if (!origin) return true;
    if (allowedOrigins.length) return allowedOrigins.includes(origin);
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  };
}
