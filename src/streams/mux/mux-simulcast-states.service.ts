import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { PrismaService } from '../../prisma/prisma.service';
import type { RestreamTargetStatus } from '../../contract/ingest-protocol';
import type { HandleOutcome } from '../../webhooks/webhook-source';
import type { MuxEvent } from './mux-event';
import { planSimulcastState, restreamStates, type SimulcastStateChange } from './mux-simulcast-state';

/** A live stream's restream target states changed (Mux mode): its publisher's socket shows them. */
export class RestreamStatesEvent {
  static readonly event = 'stream.restream-states';
  constructor(
    readonly liveStreamId: string,
    readonly restream: RestreamTargetStatus[],
  ) {}
}

/**
 * Mux mode (issue 12): each simulcast target's state, recorded on its live stream's row (any instance
 * may receive the webhook; another may hold the publisher's socket), newest event wins per target.
 */
@Injectable()
export class MuxSimulcastStatesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly events: EventEmitter2,
  ) {}

  async apply(e: MuxEvent, envelope: unknown): Promise<HandleOutcome> {
    const plan = planSimulcastState(e, envelope);
    if (!plan.ok) return { applied: false, reason: plan.reason };
    const change = plan.change;
    const stream = await this.streamOf(change);
    if (!stream) return { applied: false, reason: `no live stream of restream target ${change.targetId}` };
    const entry = JSON.stringify(change.state);
    // One statement: an older event (or the same one again) never overwrites a newer state.
    const updated = await this.prisma.$executeRaw`
      UPDATE "live_streams"
      SET "simulcast_states" = COALESCE("simulcast_states", '{}'::jsonb)
        || jsonb_build_object(${change.targetId}::text, ${entry}::jsonb)
      WHERE "id" = ${stream.id}::uuid
        AND (("simulcast_states" -> ${change.targetId}::text ->> 'at') IS NULL
          OR ("simulcast_states" -> ${change.targetId}::text ->> 'at')::timestamptz < ${change.state.at}::timestamptz)`;
    if (updated === 0)
      return { applied: false, reason: 'a newer simulcast target event was applied already' };
    const restream = await this.statesOf(stream.id);
    if (restream) this.events.emit(RestreamStatesEvent.event, new RestreamStatesEvent(stream.id, restream));
    return { applied: true };
  }

  /** The creator's enabled targets with Mux's last word on each; null for a stream that is not ours. */
  async statesOf(liveStreamId: string): Promise<RestreamTargetStatus[] | null> {
    const row = await this.prisma.liveStream.findUnique({
      where: { id: liveStreamId },
      select: { creatorId: true, provider: true, simulcastStates: true },
    });
    if (!row || row.provider !== 'mux') return null;
    const targets = await this.prisma.restreamTarget.findMany({
      where: { userId: row.creatorId, enabled: true },
      orderBy: { createdAt: 'asc' },
      select: { id: true, name: true },
    });
    return restreamStates(targets, row.simulcastStates);
  }

  /** The event's live stream if it names one of ours, else the target's creator's open Mux stream. */
  private async streamOf(c: SimulcastStateChange): Promise<{ id: string } | null> {
    const target = await this.prisma.restreamTarget.findUnique({
      where: { id: c.targetId },
      select: { userId: true },
    });
    if (!target) return null;
    return this.prisma.liveStream.findFirst({
      where: {
        creatorId: target.userId,
        provider: 'mux',
        ...(c.liveStreamId ? { providerStreamId: c.liveStreamId } : { status: { not: 'ENDED' } }),
      },
      orderBy: { createdAt: 'desc' },
      select: { id: true },
    });
  }
}
