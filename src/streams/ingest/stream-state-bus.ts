import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client, Notification } from 'pg';
import { APP_CONFIG } from '../../config/app-config.module';
import type { AppConfig } from '../../config/app-config';
import type { StreamStatus } from '../../contract/ingest-protocol';
import { PrismaService } from '../../prisma/prisma.service';

export const STATE_CHANNEL = 'vybzz_stream_state';

export interface StreamStateMessage {
  liveStreamId: string;
  status: StreamStatus;
  isLive: boolean;
  /** The instance that published it (it delivered to its own sockets already). */
  from: string;
}

/**
 * Stream state changes reach the instance that holds the publisher's socket, whichever instance
 * received the webhook: PostgreSQL LISTEN/NOTIFY on one channel. The LISTEN connection reconnects
 * with backoff if the database goes away.
 */
@Injectable()
export class StreamStateBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(StreamStateBus.name);
  private client: Client | null = null;
  private handler: (m: StreamStateMessage) => void = () => undefined;
  private closed = false;
  private retryMs = 500;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onMessage(handler: (m: StreamStateMessage) => void): void {
    this.handler = handler;
  }

  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  async publish(m: Omit<StreamStateMessage, 'from'>): Promise<void> {
    const payload = JSON.stringify({ ...m, from: this.config.instanceId });
    await this.prisma.$executeRaw`SELECT pg_notify(${STATE_CHANNEL}, ${payload})`;
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
      await client.query(`LISTEN ${STATE_CHANNEL}`);
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
    if (n.channel !== STATE_CHANNEL || !n.payload) return;
    try {
      const m = JSON.parse(n.payload) as StreamStateMessage;
      if (m.from !== this.config.instanceId) this.handler(m);
    } catch {
      this.logger.warn('ignored a malformed state notification');
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
