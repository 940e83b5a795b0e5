import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client, Notification } from 'pg';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { PrismaService } from './prisma.service';

/** What every message on the bus carries besides its own fields: the instance that published it. */
export interface BusEnvelope {
  from: string;
}

type Handler = (payload: Record<string, unknown> & BusEnvelope) => void;

/** pg_notify refuses payloads of 8000 bytes or more. */
export const MAX_NOTIFY_BYTES = 7_900;

/**
 * The cross-instance bus: PostgreSQL LISTEN/NOTIFY on named channels over one LISTEN connection that
 * reconnects with backoff if the database goes away. It knows nothing of its users (stream state,
 * the live room): each subscribes to its own channel. A message is delivered to the other instances
 * only — the publisher has delivered to its own sockets already. (Embedded PGlite does not deliver
 * NOTIFY across connections, which is fine: it serves one instance.)
 */
@Injectable()
export class NotifyBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(NotifyBus.name);
  private readonly handlers = new Map<string, Handler[]>();
  private client: Client | null = null;
  private closed = false;
  private retryMs = 500;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get instanceId(): string {
    return this.config.instanceId;
  }

  /** Call before the application starts (a constructor or onModuleInit): channels are listened at init. */
  subscribe(channel: string, handler: Handler): void {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`bad channel name ${channel}`);
    const list = this.handlers.get(channel) ?? [];
    list.push(handler);
    this.handlers.set(channel, list);
    if (this.client) void this.client.query(`LISTEN ${channel}`).catch(() => undefined);
  }

  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  /** Rejects when the payload is too large for NOTIFY or the database is unreachable. */
  async publish(channel: string, message: object): Promise<void> {
    const payload = JSON.stringify({ ...message, from: this.config.instanceId });
    if (Buffer.byteLength(payload) > MAX_NOTIFY_BYTES)
      throw new Error(`bus message too large for ${channel}`);
    await this.prisma.$executeRaw`SELECT pg_notify(${channel}, ${payload})`;
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.prisma.database.url });
    client.on('notification', (n: Notification) => this.receive(n));
    client.on('error', (e) => {
      this.logger.warn(`LISTEN connection lost: ${e.message}`);
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
      this.client = client;
      this.retryMs = 500;
    } catch (e) {
      this.logger.warn(`LISTEN failed: ${(e as Error).message}`);
      this.reconnect(client);
    }
  }

  private reconnect(client: Client): void {
    if (this.closed || (this.client !== client && this.client !== null)) return;
    this.client = null;
    client.removeAllListeners();
    client.end().catch(() => undefined);
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
    setTimeout(() => void this.listen(), wait).unref();
  }

  private receive(n: Notification): void {
    const handlers = this.handlers.get(n.channel);
    if (!handlers || !n.payload) return;
    let m: Record<string, unknown> & BusEnvelope;
    try {
      m = JSON.parse(n.payload) as Record<string, unknown> & BusEnvelope;
      if (!m || typeof m !== 'object' || typeof m.from !== 'string') throw new Error('no sender');
    } catch {
      this.logger.warn(`ignored a malformed notification on ${n.channel}`);
      return;
    }
    if (m.from === this.config.instanceId) return;
    for (const h of handlers) {
      try {
        h(m);
      } catch (e) {
        this.logger.error(`a ${n.channel} handler failed: ${(e as Error).message}`);
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const c = this.client;
    this.client = null;
    if (c) {
      c.removeAllListeners();
      c.on('error', () => undefined);
      await c.end().catch(() => undefined);
    }
  }
}
