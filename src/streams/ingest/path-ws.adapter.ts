import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type INestApplicationContext, Logger } from '@nestjs/common';
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
  private readonly upgradeLog = new Logger('WebSocket');

  constructor(
    app: INestApplicationContext,
    private readonly originAllowed: (req: IncomingMessage) => boolean,
    /** A request (an upgrade too) whose headers are not complete by then is closed; Node's default is 60 s. */
    private readonly headersTimeoutMs?: number,
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
    if (this.headersTimeoutMs) {
      httpServer.headersTimeout = this.headersTimeoutMs;
      // How often Node looks for expired requests (read when the server starts listening).
      (httpServer as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(
        1_000,
        this.headersTimeoutMs / 2,
      );
    }
    httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head),
    );
    return httpServer;
  }

  /** Never throws: whatever a client sends, it gets an HTTP answer on its socket or the socket is closed. */
  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    try {
      const pathname = pathnameOf(req);
      if (pathname === null) return reject(socket, 400, 'Bad Request');
      let server: PathServer | undefined;
      for (const s of this.servers) {
        const m = this.matchPath(s.path, pathname);
        if (m === 'malformed') return reject(socket, 400, 'Bad Request');
        if (m === 'match') {
          server = s;
          break;
        }
      }
      if (!server) return reject(socket, 404, 'Not Found');
      if (!this.originAllowed(req)) return reject(socket, 403, 'Forbidden');
      const target = server;
      target.handleUpgrade(req, socket, head, (ws) => target.emit('connection', ws, req));
    } catch (e) {
      this.upgradeLog.error(`upgrade of ${String(req.url).slice(0, 200)} failed: ${(e as Error).message}`);
      reject(socket, 500, 'Internal Server Error');
    }
  }

  /** Whether a path matches; 'malformed' when it matches but cannot be percent-decoded. */
  private matchPath(path: string, pathname: string): 'match' | 'malformed' | null {
    try {
      return this.matchers.get(path)?.(pathname) ? 'match' : null;
    } catch {
      return 'malformed'; // URIError from decodeURIComponent (e.g. `%E0%A4%A`)
    }
  }
}

function pathnameOf(req: IncomingMessage): string | null {
  try {
    return new URL(req.url ?? '/', 'ws://localhost').pathname;
  } catch {
    return null;
  }
}

function reject(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed) return;
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
