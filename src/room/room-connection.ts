import type { Logger } from '@nestjs/common';
import type { RawData, WebSocket } from 'ws';
import type { AuthUser } from '../auth/auth-user';
import { CloseCode } from '../contract/close-codes';
import {
  JOIN_TIMEOUT_MS,
  parseRoomClientMessage,
  type RoomClientMessage,
  type RoomServerMessage,
} from '../contract/room-protocol';
import { MessageBudget } from '../streams/ingest/admission-limits';

/** A socket that cannot keep up (this much unsent) is dropped instead of buffering without bound. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
const PING_EVERY_MS = 30_000;

/** Closes the socket with a code and reason (a refusal of the join). */
export class RoomRefusal extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export interface RoomConnectionHost {
  readonly maxMessagesPerSecond: number;
  /** Throws RoomRefusal. */
  join(conn: RoomConnection, token: string | undefined): Promise<void>;
  /** A message after the join; never throws (refusals are answered on the socket). */
  act(conn: RoomConnection, m: Exclude<RoomClientMessage, { type: 'join' }>): Promise<void>;
  leave(conn: RoomConnection): void;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

/**
 * One watch socket: join (within 5 s) → messages → closed. Frames are handled one at a time, in
 * order; a flood (more than the per-socket budget) closes with 4029. Nothing here throws to `ws`.
 */
export class RoomConnection {
  user: AuthUser | null = null;
  isOwner = false;
  /** Counted among the room's viewers (everyone but the creator). */
  counted = false;
  /** The room's key (its creator's id) once joined. */
  roomId: string | null = null;
  private phase: 'join' | 'joining' | 'joined' | 'closed' = 'join';
  private queue: Promise<void> = Promise.resolve();
  private readonly joinTimer: NodeJS.Timeout;
  private readonly pingTimer: NodeJS.Timeout;
  private alive = true;

  constructor(
    readonly ws: WebSocket,
    readonly handle: string,
    private readonly host: RoomConnectionHost,
    private readonly logger: Logger,
  ) {
    this.joinTimer = setTimeout(
      () => this.close(CloseCode.Unauthenticated, `no join within ${JOIN_TIMEOUT_MS / 1000} s`),
      JOIN_TIMEOUT_MS,
    );
    this.pingTimer = setInterval(() => {
      if (!this.alive) return this.ws.terminate();
      this.alive = false;
      this.ws.ping();
    }, PING_EVERY_MS);
    ws.on('pong', () => (this.alive = true));
    const budget = new MessageBudget(host.maxMessagesPerSecond);
    ws.on('message', (data, isBinary) => {
      if (!budget.take()) {
        return this.close(
          CloseCode.TooManyRequests,
          `more than ${host.maxMessagesPerSecond} messages per second`,
        );
      }
      if (isBinary) return this.close(1003, 'the room takes text frames only');
      const text = rawText(data);
      this.queue = this.queue.then(() => this.handle_(text)).catch((e: Error) => this.failed(e));
    });
    ws.on('error', () => undefined); // 'close' follows
    ws.once('close', () => this.closed());
  }

  get joined(): boolean {
    return this.phase === 'joined';
  }

  /** Not closed (a join that finishes after the socket closed must not add it to a room). */
  get open(): boolean {
    return this.phase !== 'closed';
  }

  /**
   * Sends one message, or one already serialised (a Buffer goes out as it is, as a text frame); a
   * socket that falls too far behind is dropped.
   */
  send(m: RoomServerMessage | string | Buffer): void {
    if (this.phase === 'closed' || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.logger.warn('dropped a watch socket that could not keep up');
      this.ws.terminate();
      return;
    }
    if (Buffer.isBuffer(m)) this.ws.send(m, { binary: false });
    else this.ws.send(typeof m === 'string' ? m : JSON.stringify(m));
  }

  close(code: number, reason: string): void {
    if (this.phase === 'closed') return;
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING)
      this.ws.close(code, reason);
    this.closed();
  }

  private async handle_(text: string): Promise<void> {
    if (this.phase === 'closed') return;
    const m = parseRoomClientMessage(text);
    if (this.phase === 'join') {
      if (!m || m.type !== 'join')
        return this.close(CloseCode.Unauthenticated, 'the first frame must be a join');
      this.phase = 'joining';
      clearTimeout(this.joinTimer);
      try {
        await this.host.join(this, m.token);
        if (this.phase === 'joining') this.phase = 'joined';
      } catch (e) {
        if (e instanceof RoomRefusal) return this.close(e.code, e.reason);
        throw e;
      }
      return;
    }
    if (this.phase !== 'joined') return;
    if (!m || m.type === 'join') {
      this.send({
        type: 'refused',
        reason: 'bad-request',
        message: 'not a room message (see room-protocol.ts)',
      });
      return;
    }
    await this.host.act(this, m);
  }

  private failed(e: Error): void {
    this.logger.error(`watch socket failed: ${e.message}`);
    this.close(CloseCode.InternalError, 'server error');
  }

  private closed(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    clearTimeout(this.joinTimer);
    clearInterval(this.pingTimer);
    this.host.leave(this);
  }
}
