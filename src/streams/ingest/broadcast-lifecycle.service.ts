import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../../config/app-config.module';
import type { AppConfig } from '../../config/app-config';
import type { PublishedStream, PublishEnd } from '../providers/stream-provider';
import { StreamProvider } from '../providers/stream-provider';
import { StreamsService } from '../streams.service';
import { type LeaseGrant, PublisherLeaseService } from './publisher-lease.service';

const SWEEP_EVERY_MS = 10_000;
/**
 * A publisher reconnecting right after its socket was lost may find the lease still held: the old
 * connection is finishing (FFmpeg flushes for up to 2 s, then the lease is parked), maybe on another
 * instance. It is given this long before it is refused with 4009.
 */
export const CLAIM_PATIENCE_MS = 4_000;
const CLAIM_RETRY_MS = 50;

/**
 * One broadcast, whatever the network does: a publisher lost without Stop Streaming (a dropped
 * socket, a pipeline failure, a server restart) leaves its broadcast open for the reconnect window —
 * its lease parked, so the same publisher continues it from any instance — and it ends (one
 * recording, one VOD post) on Stop Streaming or when the window passes. Ending is retried until it is
 * recorded: in local mode a sweep ends broadcasts nobody publishes to any more and finishes recordings
 * whose post could not be made (a database blip), on every instance, at boot and periodically.
 */
@Injectable()
export class BroadcastLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Broadcast');
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly windowTimers = new Set<NodeJS.Timeout>();
  private sweeping: Promise<void> | null = null;
  /** Shut down: no sweep starts and no window timer is set any more (the database is going away). */
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly provider: StreamProvider,
    private readonly streams: StreamsService,
    private readonly leases: PublisherLeaseService,
  ) {}

  get windowMs(): number {
    return this.config.reconnectWindowSec * 1000;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.provider.name !== 'local') return;
    await this.leases.clearIfSoleInstance();
    await this.sweep();
    this.sweepTimer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.sweepTimer.unref();
  }

  onApplicationShutdown(): void {
    this.closed = true;
    clearInterval(this.sweepTimer);
    for (const t of this.windowTimers) clearTimeout(t);
  }

  /** Claims the stream for a publisher: null when someone else publishes to it. */
  async claim(liveStreamId: string, patienceMs = CLAIM_PATIENCE_MS): Promise<LeaseGrant | null> {
    const until = Date.now() + patienceMs;
    for (;;) {
      const grant = await this.leases.acquire(liveStreamId);
      if (grant || Date.now() >= until) return grant;
      await new Promise((r) => setTimeout(r, CLAIM_RETRY_MS));
    }
  }

  /** The publisher has gone: `stopped` ends the broadcast now, anything else opens the window. */
  async publisherGone(stream: PublishedStream, how: PublishEnd): Promise<void> {
    if (how === 'stopped' || this.windowMs === 0) return this.end(stream, how);
    try {
      await this.leases.park(stream.id, this.windowMs);
      await this.provider.publishInterrupted(stream);
      this.logger.log(
        `broadcast on ${stream.id} interrupted (${how}): open ${this.windowMs / 1000} s for a reconnect`,
      );
    } catch (e) {
      this.logger.error(`could not keep the broadcast of ${stream.id} open: ${(e as Error).message}`);
    }
    if (this.closed) return; // the next instance's sweep ends it
    const timer = setTimeout(() => {
      this.windowTimers.delete(timer);
      void this.sweep();
    }, this.windowMs + 500);
    timer.unref();
    this.windowTimers.add(timer);
  }

  /** Ends the broadcast now; when that fails, the sweep retries it. */
  private async end(stream: PublishedStream, how: PublishEnd): Promise<void> {
    await this.leases
      .release(stream.id)
      .catch((e: Error) => this.logger.warn(`lease release failed: ${e.message}`));
    try {
      await this.provider.publishEnded(stream, how);
    } catch (e) {
      this.logger.error(`ending the broadcast of ${stream.id} failed (retried): ${(e as Error).message}`);
    }
  }

  /** Local mode: ends broadcasts nobody publishes to (window passed, instance died), finishes recordings. */
  sweep(): Promise<void> {
    if (this.provider.name !== 'local' || this.closed) return Promise.resolve();
    this.sweeping ??= this.doSweep().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async doSweep(): Promise<void> {
    try {
      for (const stream of await this.streams.orphanedBroadcasts(this.provider.name)) {
        // Claim it first: a publisher reconnecting this very moment must not continue a broadcast
        // that is being ended (it is refused once with 4009 and then starts the next one).
        const grant = await this.leases.acquire(stream.id);
        if (!grant) continue;
        this.logger.warn(`ending broadcast ${stream.id}: its publisher is gone`);
        try {
          await this.provider.publishEnded(stream, 'dropped');
        } finally {
          await this.leases.release(stream.id);
        }
      }
    } catch (e) {
      this.logger.error(`could not end orphaned broadcasts: ${(e as Error).message}`);
    }
    await this.provider
      .recoverUnfinished()
      .catch((e: Error) => this.logger.error(`could not finish recordings: ${e.message}`));
  }
}
