import { Injectable, Logger } from '@nestjs/common';
import type { HandleOutcome } from './webhook-source';
import {
  DueEvent,
  IncomingWebhookEvent,
  InboxEvent,
  UnstorableEventError,
  WebhookEventRepository,
} from './webhook-event.repository';
import { WebhookSources } from './webhook-sources';
import { WebhookStats } from './webhook-stats.service';

/** The event was stored but handling it failed: the sender should retry (5xx), and so will we. */
export class WebhookHandlingError extends Error {
  constructor(
    readonly eventId: string,
    cause: unknown,
  ) {
    super(`handling webhook event ${eventId} failed: ${errorText(cause)}`, { cause });
    this.name = 'WebhookHandlingError';
  }
}

export type ReceiveResult = 'processed' | 'duplicate';

/** The 200 answer to a webhook delivery. */
export interface WebhookReceipt {
  id: string;
  result: ReceiveResult;
}

export interface RetryOptions {
  baseDelaySec: number;
  ignoreBackoff: boolean;
  batchSize: number;
  concurrency: number;
  /** Checked between batches: a shutdown stops the sweep early. */
  shouldStop: () => boolean;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * The webhook inbox: every verified event is stored by id before it is handled; an event already
 * processed is acknowledged and not handled again; a failed handling is recorded (attempts, last
 * error) and retried by WebhookRetryScheduler. Within this instance one event is handled by one
 * caller at a time (concurrent deliveries of one id share the same handling); across instances the
 * handlers are idempotent (see WebhookHandler).
 */
@Injectable()
export class WebhookInbox {
  private readonly logger = new Logger(WebhookInbox.name);
  private readonly inflight = new Map<string, Promise<HandleOutcome>>();

  constructor(
    private readonly repo: WebhookEventRepository,
    private readonly stats: WebhookStats,
    private readonly sources: WebhookSources,
  ) {}

  /**
   * A verified delivery: stored, then handled unless it was processed before. Throws when the event
   * could not be stored or handled (the caller answers 5xx; the stored row is retried later), or
   * UnstorableEventError when PostgreSQL refuses its data (4xx: no retry can help).
   */
  async receive(incoming: IncomingWebhookEvent, payload: unknown): Promise<ReceiveResult> {
    let stored;
    try {
      stored = await this.repo.store(incoming);
    } catch (e) {
      if (e instanceof UnstorableEventError) {
        this.stats.record(incoming.source, 'refused');
        this.logger.warn(errorText(e));
      } else {
        this.stats.record(incoming.source, 'failed');
        this.logger.warn(`could not store ${incoming.source} event ${incoming.id}: ${errorText(e)}`);
      }
      throw e;
    }
    if (stored === 'processed') {
      this.stats.record(incoming.source, 'duplicate');
      return 'duplicate';
    }
    if (stored === 'new') this.stats.record(incoming.source, 'stored');
    const { id, source, type, eventCreatedAt } = incoming;
    await this.handle({ id, source, type, eventCreatedAt, payload });
    return 'processed';
  }

  /** Handles one event; a second caller for the same id while it runs shares its result. */
  handle(event: InboxEvent): Promise<HandleOutcome> {
    const running = this.inflight.get(event.id);
    if (running) return running;
    const run = this.run(event).finally(() => this.inflight.delete(event.id));
    this.inflight.set(event.id, run);
    return run;
  }

  /** Handles unfinished rows that are due, oldest first; returns how many were handled successfully. */
  async retryDue(o: RetryOptions): Promise<number> {
    let after: DueEvent | null = null;
    let done = 0;
    for (;;) {
      const rows = await this.repo.findDue({
        limit: o.batchSize,
        baseDelaySec: o.baseDelaySec,
        ignoreBackoff: o.ignoreBackoff,
        after,
      });
      const todo = rows.filter((r) => !this.inflight.has(r.id));
      for (let i = 0; i < todo.length; i += o.concurrency) {
        const results = await Promise.allSettled(
          todo.slice(i, i + o.concurrency).map((row) => {
            this.stats.record(row.source, 'retried');
            return this.handle(row);
          }),
        );
        done += results.filter((r) => r.status === 'fulfilled').length;
      }
      if (rows.length < o.batchSize || o.shouldStop()) return done;
      after = rows.at(-1) ?? null;
    }
  }

  private async run(event: InboxEvent): Promise<HandleOutcome> {
    const handler = this.sources.get(event.source)?.handler;
    let outcome: HandleOutcome;
    try {
      if (!handler) throw new Error(`no handler for webhook source "${event.source}"`);
      outcome = await handler.handle(event);
      await this.repo.markProcessed(event.id);
    } catch (e) {
      this.stats.record(event.source, 'failed');
      this.logger.warn(`webhook event ${event.id} (${event.type}) failed, will retry: ${errorText(e)}`);
      await this.repo.markFailed(event.id, errorText(e)).catch((e2: unknown) => {
        this.logger.warn(`could not record the failure of webhook event ${event.id}: ${errorText(e2)}`);
      });
      throw new WebhookHandlingError(event.id, e);
    }
    this.stats.record(event.source, 'processed');
    if (!outcome.applied) {
      this.stats.record(event.source, 'ignored');
      this.logger.debug(`webhook event ${event.id} (${event.type}) changed nothing: ${outcome.reason}`);
    }
    return outcome;
  }
}
