import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../../config/app-config.module';
import type { AppConfig } from '../../config/app-config';
import { PrismaService } from '../../prisma/prisma.service';

export const LEASE_TTL_MS = 15_000;
const RENEW_EVERY_MS = 5_000;
/**
 * The holder of a lease whose publisher was lost inside the reconnect window: nobody publishes,
 * the broadcast stays open until `expires_at`, and the stream's publisher may take it back.
 */
export const PARKED = 'reconnect-window';

/** A lease granted: `resumed` when it continues a broadcast parked in its reconnect window. */
export interface LeaseGrant {
  resumed: boolean;
}

/**
 * One publisher per stream key, across every instance on the database: a lease row per live stream,
 * renewed while its socket publishes and taken over once it expires (its instance died).
 */
@Injectable()
export class PublisherLeaseService implements OnApplicationShutdown {
  private readonly logger = new Logger(PublisherLeaseService.name);
  private readonly held = new Set<string>();
  private readonly renewTimer: NodeJS.Timeout;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.renewTimer = setInterval(() => void this.renewAll(), RENEW_EVERY_MS);
    this.renewTimer.unref();
  }

  /**
   * The stream's lease for this instance (nobody else publishes to it now), or null when another
   * publisher holds it. A lease parked inside its reconnect window is taken back (`resumed`), on
   * any instance; an expired one is taken over as a new broadcast.
   */
  async acquire(liveStreamId: string): Promise<LeaseGrant | null> {
    if (this.held.has(liveStreamId)) return null;
    this.held.add(liveStreamId); // reserve locally first: two sockets on this instance race here
    try {
      const expires = new Date(Date.now() + LEASE_TTL_MS);
      const resumed = await this.prisma.$executeRaw`
        UPDATE stream_leases SET holder = ${this.config.instanceId}, expires_at = ${expires}
        WHERE live_stream_id = ${liveStreamId}::uuid AND holder = ${PARKED} AND expires_at >= now()`;
      if (resumed === 1) return { resumed: true };
      const rows = await this.prisma.$queryRaw<{ holder: string }[]>`
        INSERT INTO stream_leases (live_stream_id, holder, expires_at)
        VALUES (${liveStreamId}::uuid, ${this.config.instanceId}, ${expires})
        ON CONFLICT (live_stream_id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
        WHERE stream_leases.expires_at < now()
        RETURNING holder`;
      if (rows.length === 1) return { resumed: false };
      this.held.delete(liveStreamId);
      return null;
    } catch (e) {
      this.held.delete(liveStreamId);
      throw e;
    }
  }

  /**
   * The publisher was lost without Stop Streaming: the lease is kept for `windowMs` with nobody
   * publishing, so the same publisher can come back (to any instance) and continue the broadcast.
   */
  async park(liveStreamId: string, windowMs: number): Promise<void> {
    if (!this.held.delete(liveStreamId)) return;
    await this.prisma.$executeRaw`
      UPDATE stream_leases SET holder = ${PARKED}, expires_at = ${new Date(Date.now() + windowMs)}
      WHERE live_stream_id = ${liveStreamId}::uuid AND holder = ${this.config.instanceId}`;
  }

  /**
   * The embedded database serves one instance only: leases held by an earlier run are stale. Parked
   * ones stay: a creator reconnecting after a restart continues the broadcast inside its window.
   */
  async clearIfSoleInstance(): Promise<void> {
    if (this.prisma.database.embedded)
      await this.prisma.$executeRaw`DELETE FROM stream_leases WHERE holder <> ${PARKED}`;
  }

  async release(liveStreamId: string): Promise<void> {
    if (!this.held.delete(liveStreamId)) return;
    await this.prisma.$executeRaw`
      DELETE FROM stream_leases WHERE live_stream_id = ${liveStreamId}::uuid AND holder = ${this.config.instanceId}`;
  }

  private async renewAll(): Promise<void> {
    if (this.held.size === 0) return;
    const ids = [...this.held];
    try {
      await this.prisma.$executeRaw`
        UPDATE stream_leases SET expires_at = ${new Date(Date.now() + LEASE_TTL_MS)}
        WHERE holder = ${this.config.instanceId} AND live_stream_id = ANY(${ids}::uuid[])`;
    } catch (e) {
      this.logger.warn(`could not renew ${ids.length} publisher lease(s): ${(e as Error).message}`);
    }
  }

  /** Sessions release their own leases as they close; anything left simply expires. */
  onApplicationShutdown(): void {
    clearInterval(this.renewTimer);
  }
}
