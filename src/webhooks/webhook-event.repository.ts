import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { MicroBatcher } from './micro-batcher';

/** A verified delivery, about to be stored. */
export interface IncomingWebhookEvent {
  id: string;
  source: string;
  type: string;
  objectId: string | null;
  /** The verified JSON text, stored as it came. */
  rawPayload: string;
  eventCreatedAt: Date;
}

/** An event to handle: fresh from a delivery or read back from the inbox. */
export interface InboxEvent {
  id: string;
  source: string;
  type: string;
  payload: unknown;
  eventCreatedAt: Date;
}

/** new: stored now · processed: stored and handled before · unfinished: stored before, not yet handled. */
export type StoreResult = 'new' | 'processed' | 'unfinished';

export interface DueQuery {
  limit: number;
  /** Seconds: attempt n of a row is due `baseDelaySec · 2^n` after it was received. */
  baseDelaySec: number;
  /** At boot every unfinished row is due, whatever its backoff. */
  ignoreBackoff: boolean;
  /** Keyset cursor: rows after this one (received_at, id). */
  after: { receivedAt: Date; id: string } | null;
}

export interface DueEvent extends InboxEvent {
  receivedAt: Date;
}

/** PostgreSQL refused the event's data itself (SQLSTATE class 22: a NUL in text, say): it never will store. */
export class UnstorableEventError extends Error {
  constructor(id: string, cause: unknown) {
    super(`webhook event ${id} cannot be stored: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'UnstorableEventError';
  }
}

function isDataException(e: unknown): boolean {
  if (!(e instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const cause = (e.meta?.driverAdapterError as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' && cause.code.startsWith('22');
}

const MAX_ERROR = 2000;
/** 2^20 · base: no row waits longer than that between attempts' due times (and no interval overflows). */
const MAX_BACKOFF_EXPONENT = 20;

/**
 * The webhook inbox table (webhook_events), in raw SQL. The hot path is group-committed: deliveries
 * arriving together are stored with one INSERT, and handlings finishing together are marked processed
 * with one UPDATE (MicroBatcher), so the inbox costs well under two round trips per delivery.
 */
@Injectable()
export class WebhookEventRepository {
  private readonly storer = new MicroBatcher<IncomingWebhookEvent, StoreResult | UnstorableEventError>(
    (events) => this.storeMany(events),
    100,
  );
  private readonly processed = new MicroBatcher<string>(async (ids) => {
    await this.prisma.$executeRaw`
      UPDATE webhook_events SET processed_at = now(), last_error = NULL
      WHERE id = ANY(${ids}::text[]) AND processed_at IS NULL`;
    return ids.map(() => undefined);
  });

  constructor(private readonly prisma: PrismaService) {}

  /** Stores the event by id unless it is there already, and says which of the three it was. */
  async store(e: IncomingWebhookEvent): Promise<StoreResult> {
    const r = await this.storer.add(e);
    if (r instanceof UnstorableEventError) throw r;
    return r;
  }

  /**
   * Whether the inbox holds another event of one of `types` about the same object, created after
   * `event` (handled or not): a stale update must not undo it.
   */
  async hasLater(event: InboxEvent, objectId: string, types: readonly string[]): Promise<boolean> {
    const later = await this.prisma.webhookEvent.findFirst({
      where: {
        source: event.source,
        objectId,
        type: { in: [...types] },
        eventCreatedAt: { gt: event.eventCreatedAt },
        id: { not: event.id },
      },
      select: { id: true },
    });
    return later !== null;
  }

  markProcessed(id: string): Promise<void> {
    return this.processed.add(id);
  }

  private async storeMany(events: IncomingWebhookEvent[]): Promise<(StoreResult | UnstorableEventError)[]> {
    // One row per id: a second delivery of an id in the same batch joins the first one's handling.
    const first = new Map<string, IncomingWebhookEvent>();
    for (const e of events) if (!first.has(e.id)) first.set(e.id, e);
    const unique = [...first.values()];
    let results: Map<string, StoreResult | UnstorableEventError>;
    try {
      results = await this.insert(unique);
    } catch (err) {
      if (!isDataException(err)) throw err;
      // One event PostgreSQL refuses must not fail its neighbours: store them one by one.
      results = await this.insertEach(unique);
    }
    const seen = new Set<string>();
    return events.map((e) => {
      const r = results.get(e.id)!;
      if (seen.has(e.id)) return r === 'new' ? 'unfinished' : r;
      seen.add(e.id);
      return r;
    });
  }

  private async insertEach(
    events: IncomingWebhookEvent[],
  ): Promise<Map<string, StoreResult | UnstorableEventError>> {
    const results = new Map<string, StoreResult | UnstorableEventError>();
    for (const e of events) {
      try {
        results.set(e.id, (await this.insert([e])).get(e.id)!);
      } catch (err) {
        if (!isDataException(err)) throw err;
        results.set(e.id, new UnstorableEventError(e.id, err));
      }
    }
    return results;
  }

  private async insert(events: IncomingWebhookEvent[]): Promise<Map<string, StoreResult>> {
    const rows = await this.prisma.$queryRaw<{ id: string; inserted: boolean; processed: boolean }[]>`
      WITH input AS (
        SELECT * FROM unnest(
          ${events.map((e) => e.id)}::text[], ${events.map((e) => e.source)}::text[],
          ${events.map((e) => e.type)}::text[], ${events.map((e) => e.objectId)}::text[],
          ${events.map((e) => e.rawPayload)}::text[],
          ${events.map((e) => e.eventCreatedAt.toISOString())}::timestamptz[]
        ) AS t(id, source, type, object_id, payload, event_created_at)
      ), ins AS (
        INSERT INTO webhook_events (id, source, type, object_id, payload, event_created_at)
        SELECT id, source, type, object_id, payload::jsonb, event_created_at FROM input
        ON CONFLICT (id) DO NOTHING
        RETURNING id
      )
      SELECT i.id, ins.id IS NOT NULL AS inserted, COALESCE(w.processed_at IS NOT NULL, false) AS processed
      FROM input i LEFT JOIN ins ON ins.id = i.id LEFT JOIN webhook_events w ON w.id = i.id`;
    const out = new Map<string, StoreResult>();
    for (const r of rows) out.set(r.id, r.inserted ? 'new' : r.processed ? 'processed' : 'unfinished');
    if (out.size !== events.length) throw new Error(`stored ${out.size} of ${events.length} webhook events`);
    return out;
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE webhook_events SET attempts = attempts + 1, last_error = ${error.slice(0, MAX_ERROR)}
      WHERE id = ${id} AND processed_at IS NULL`;
  }

  /** Unfinished rows whose next attempt is due, oldest first. */
  async findDue(q: DueQuery): Promise<DueEvent[]> {
    const afterAt = q.after?.receivedAt ?? new Date(0);
    const afterId = q.after?.id ?? '';
    const rows = await this.prisma.$queryRaw<
      {
        id: string;
        source: string;
        type: string;
        payload: unknown;
        event_created_at: Date;
        received_at: Date;
      }[]
    >`
      SELECT id, source, type, payload, event_created_at, received_at
      FROM webhook_events
      WHERE processed_at IS NULL
        AND (received_at, id) > (${afterAt}, ${afterId})
        AND (${q.ignoreBackoff} OR received_at
             <= now() - make_interval(secs => ${q.baseDelaySec} * power(2, LEAST(attempts, ${MAX_BACKOFF_EXPONENT}))))
      ORDER BY received_at, id
      LIMIT ${q.limit}`;
    return rows.map((r) => ({
      id: r.id,
      source: r.source,
      type: r.type,
      payload: r.payload,
      eventCreatedAt: r.event_created_at,
      receivedAt: r.received_at,
    }));
  }
}
