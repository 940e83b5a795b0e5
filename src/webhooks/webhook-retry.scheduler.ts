import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EventEmitterReadinessWatcher } from '@nestjs/event-emitter';
import { errorText, WebhookInbox } from './webhook-inbox.service';

/** How often unfinished inbox rows are looked at. */
export const RETRY_TICK_MS = 2000;
/** Attempt n of a row is due `RETRY_BASE_DELAY_SEC · 2^n` after it was received: 2 s, 4 s, 8 s, … ~24 days. */
export const RETRY_BASE_DELAY_SEC = 2;

/**
 * Retries inbox rows left unfinished: every one of them once at boot (they were cut short by a
 * restart or failed before it), then on a timer those whose backoff is over. One sweep at a time;
 * shutdown waits for the running sweep. Nothing runs before the @OnEvent listeners are subscribed
 * (they are, in another module's bootstrap hook): an event handled earlier would reach no listener.
 */
@Injectable()
export class WebhookRetryScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookRetryScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private sweep: Promise<void> | null = null;
  private starting: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly inbox: WebhookInbox,
    private readonly listeners: EventEmitterReadinessWatcher,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited here: the subscribers are set up by a bootstrap hook that may run after this one.
    this.starting = this.listeners.waitUntilReady().then(
      () => {
        if (this.stopping) return;
        this.run(true);
        this.timer = setInterval(() => this.run(false), RETRY_TICK_MS);
        this.timer.unref();
      },
      (e: unknown) =>
        this.logger.error(`event listeners failed to start; no webhook retries: ${errorText(e)}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.starting;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweep;
  }

  /** Starts a sweep unless one is running; never rejects. */
  private run(atBoot: boolean): void {
    if (this.sweep || this.stopping) return;
    this.sweep = this.inbox
      .retryDue({
        baseDelaySec: RETRY_BASE_DELAY_SEC,
        ignoreBackoff: atBoot,
        batchSize: 100,
        concurrency: 4,
        shouldStop: () => this.stopping,
      })
      .then((n) => {
        if (n > 0) this.logger.log(`retried ${n} unfinished webhook event(s)${atBoot ? ' at boot' : ''}`);
      })
      .catch((e: unknown) => this.logger.warn(`webhook retry sweep failed: ${errorText(e)}`))
      .finally(() => {
        this.sweep = null;
      });
  }
}
