import { Inject, Injectable, Logger } from '@nestjs/common';
import type Mux from '@mux/mux-node';
import { PrismaService } from '../../prisma/prisma.service';
import { RestreamPort } from '../restream-port';
import { MUX_CLIENT } from './mux-client';
import { planSimulcast, simulcastPassthrough, withoutKeys } from './mux-simulcast-plan';

type StreamRef = { id: string } | { providerStreamId: string };

/**
 * Mux mode (issue 12): a live stream's simulcast targets follow its creator's enabled restream
 * targets. Mux refuses changes while the stream is active, so they are made while it is idle: at once
 * when the creator edits a target on an idle stream, otherwise (`simulcast_dirty`) at its next idle
 * (webhook) or before its next broadcast. Mux's errors are logged (keys blanked), never thrown.
 */
@Injectable()
export class MuxSimulcastService {
  private readonly logger = new Logger('MuxSimulcast');
  /** One synchronisation at a time per live stream on this instance. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    @Inject(MUX_CLIENT) private readonly mux: Mux | null,
    private readonly prisma: PrismaService,
    private readonly port: RestreamPort,
  ) {}

  /** The creator added, toggled or deleted a target. */
  async targetsChanged(creatorId: string): Promise<void> {
    if (!this.mux) return;
    try {
      const stream = await this.prisma.liveStream.findFirst({
        where: { creatorId, provider: 'mux', status: { not: 'ENDED' } },
        orderBy: { createdAt: 'desc' },
        select: { id: true, status: true },
      });
      if (!stream) return; // the next Go Live provisions a stream and synchronises it
      await this.prisma.liveStream.update({ where: { id: stream.id }, data: { simulcastDirty: true } });
      if (stream.status === 'IDLE') await this.sync(stream.id);
    } catch (e) {
      this.logger.warn(`simulcast targets of ${creatorId} not marked for synchronisation: ${errText(e)}`);
    }
  }

  /** Before a broadcast and at each idle: applies what changed meanwhile, if the stream is idle. */
  async syncIfNeeded(ref: StreamRef): Promise<void> {
    if (!this.mux) return;
    try {
      const s = await this.prisma.liveStream.findUnique({
        where: ref,
        select: {
          id: true,
          creatorId: true,
          provider: true,
          status: true,
          simulcastDirty: true,
          simulcastSyncedAt: true,
        },
      });
      if (!s || s.provider !== 'mux' || s.status !== 'IDLE') return;
      if (!s.simulcastDirty) {
        if (s.simulcastSyncedAt) return;
        // Never synchronised: a new Mux stream has no simulcast targets, so only targets need calls.
        if (!(await this.port.destinations(s.creatorId)).length) return;
      }
      await this.sync(s.id);
    } catch (e) {
      this.logger.warn(`simulcast targets not synchronised: ${errText(e)}`);
    }
  }

  private sync(id: string): Promise<void> {
    const next = (this.running.get(id) ?? Promise.resolve()).then(() => this.reconcile(id));
    this.running.set(id, next);
    void next.finally(() => {
      if (this.running.get(id) === next) this.running.delete(id);
    });
    return next;
  }

  private async reconcile(id: string): Promise<void> {
    const mux = this.mux!;
    const s = await this.prisma.liveStream.findUnique({ where: { id } });
    if (!s) return;
    // Cleared first: a change made during the calls below marks the stream again.
    await this.prisma.liveStream.update({ where: { id }, data: { simulcastDirty: false } });
    let keys: string[] = [];
    try {
      const desired = await this.port.destinations(s.creatorId);
      keys = desired.map((d) => d.streamKey);
      const live = await mux.video.liveStreams.retrieve(s.providerStreamId);
      const plan = planSimulcast(live.simulcast_targets ?? [], desired);
      for (const targetId of plan.remove)
        await mux.video.liveStreams.deleteSimulcastTarget(s.providerStreamId, targetId);
      for (const d of plan.add)
        await mux.video.liveStreams.createSimulcastTarget(s.providerStreamId, {
          url: d.url,
          stream_key: d.streamKey,
          passthrough: simulcastPassthrough(d.id),
        });
      await this.prisma.liveStream.update({ where: { id }, data: { simulcastSyncedAt: new Date() } });
      if (plan.add.length || plan.remove.length)
        this.logger.log(
          `simulcast targets of stream ${id}: ${plan.add.length} added, ${plan.remove.length} removed`,
        );
    } catch (e) {
      await this.prisma.liveStream
        .update({ where: { id }, data: { simulcastDirty: true } })
        .catch(() => undefined);
      this.logger.warn(
        `simulcast targets of stream ${id} not synchronised (retried at its next idle): ${withoutKeys(errText(e), keys)}`,
      );
    }
  }
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));
