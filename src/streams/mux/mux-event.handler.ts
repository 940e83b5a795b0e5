import { Injectable } from '@nestjs/common';
import { LiveStateService } from '../live-state.service';
import { parseMuxEvent, planMuxEvent } from './mux-event';
import { MuxSimulcastService } from './mux-simulcast.service';
import { MuxDownloadsService } from './mux-downloads.service';
import { MuxSimulcastStatesService } from './mux-simulcast-states.service';
import { SIMULCAST_EVENT_PREFIX } from './mux-simulcast-state';
import type { HandleOutcome, WebhookHandler } from '../../webhooks/webhook-source';
import type { InboxEvent } from '../../webhooks/webhook-event.repository';

/** A stored Mux event → live stream state (by event time) or a recording ready for its VOD post. */
@Injectable()
export class MuxEventHandler implements WebhookHandler {
  constructor(
    private readonly live: LiveStateService,
    private readonly simulcast: MuxSimulcastService,
    private readonly downloads: MuxDownloadsService,
    private readonly simulcastStates: MuxSimulcastStatesService,
  ) {}

  async handle(event: InboxEvent): Promise<HandleOutcome> {
    const parsed = parseMuxEvent(event.payload);
    if (!parsed.ok) return { applied: false, reason: `not a Mux event: ${parsed.problem}` };
    const e = parsed.event;
    if (e.type.startsWith(SIMULCAST_EVENT_PREFIX)) return this.simulcastStates.apply(e, event.payload);
    const plan = planMuxEvent(e);
    let result;
    switch (plan.kind) {
      case 'ignore':
        return { applied: false, reason: plan.reason };
      case 'state':
        result = await this.live.applyChange(plan.providerStreamId, plan.change, e.createdAt);
        // Idle: restream target changes made while live reach Mux now (also on a retried delivery).
        if (plan.change === 'idle' && result !== 'unknown-stream')
          await this.simulcast.syncIfNeeded({ providerStreamId: plan.providerStreamId });
        break;
      case 'recording':
        result = await this.live.recordingReady(plan.providerStreamId, plan.recording, e.createdAt);
        if (result === 'applied') await this.downloads.applyKnown(plan.recording.assetId, plan.downloadFile);
        break;
      case 'download':
        return (await this.downloads.apply(plan.assetId, plan.fileName))
          ? { applied: true }
          : { applied: false, reason: `no VOD post of asset ${plan.assetId} yet: set when it is made` };
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
