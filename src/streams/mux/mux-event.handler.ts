import { Injectable } from '@nestjs/common';
import { LiveStateService } from '../live-state.service';
import { parseMuxEvent, planMuxEvent } from './mux-event';
import type { HandleOutcome, WebhookHandler } from '../../webhooks/webhook-source';
import type { InboxEvent } from '../../webhooks/webhook-event.repository';

/** A stored Mux event → live stream state (by event time) or a recording ready for its VOD post. */
@Injectable()
export class MuxEventHandler implements WebhookHandler {
  constructor(private readonly live: LiveStateService) {}

  async handle(event: InboxEvent): Promise<HandleOutcome> {
    const parsed = parseMuxEvent(event.payload);
    if (!parsed.ok) return { applied: false, reason: `not a Mux event: ${parsed.problem}` };
    const e = parsed.event;
    const plan = planMuxEvent(e);
    let result;
    switch (plan.kind) {
      case 'ignore':
        return { applied: false, reason: plan.reason };
      case 'state':
        result = await this.live.applyChange(plan.providerStreamId, plan.change, e.createdAt);
        break;
      case 'recording':
        result = await this.live.recordingReady(plan.providerStreamId, plan.recording, e.createdAt);
        break;
    }
    switch (result) {
      case 'applied':
        return { applied: true };
      case 'stale':
        return { applied: false, reason: 'a newer event was applied already' };
      case 'unknown-stream':
        return { applied: false, reason: `no live stream ${plan.providerStreamId} here` };
    }
  }
}
