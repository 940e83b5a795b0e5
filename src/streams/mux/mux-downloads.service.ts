import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import { MUX_DOWNLOAD_EVENTS, parseMuxEvent, planMuxEvent } from './mux-event';

/** Where Mux serves a static rendition of a public playback id. */
export const muxDownloadUrl = (playbackId: string, fileName: string) =>
  `https://stream.mux.com/${playbackId}/${fileName}`;

/**
 * A Mux recording's MP4 (static rendition) becomes its VOD post's downloadUrl. Either event may come
 * first: a rendition ready before its post exists is found again, stored under its asset id, once the
 * post is made (the post is created before the stored events are read, so none is missed).
 */
@Injectable()
export class MuxDownloadsService {
  constructor(private readonly prisma: PrismaService) {}

  /** Sets the post's downloadUrl; false when the asset has no VOD post yet. */
  async apply(assetId: string, fileName: string): Promise<boolean> {
    const post = await this.prisma.post.findUnique({
      where: { assetId },
      select: { id: true, kind: true, playbackId: true, downloadUrl: true },
    });
    if (!post || post.kind !== 'VOD' || !post.playbackId) return false;
    const url = muxDownloadUrl(post.playbackId, fileName);
    if (post.downloadUrl !== url)
      await this.prisma.post.update({ where: { id: post.id }, data: { downloadUrl: url } });
    return true;
  }

  /** After the asset's post was made: a rendition named in its own event, or one reported earlier. */
  async applyKnown(assetId: string, fromAssetEvent: string | null): Promise<boolean> {
    const fileName = fromAssetEvent ?? (await this.storedReadyFile(assetId));
    return fileName ? this.apply(assetId, fileName) : false;
  }

  private async storedReadyFile(assetId: string): Promise<string | null> {
    const rows = await this.prisma.webhookEvent.findMany({
      where: { source: 'mux', objectId: assetId, type: { in: [...MUX_DOWNLOAD_EVENTS] } },
      orderBy: { eventCreatedAt: 'desc' },
      select: { payload: true },
      take: 10,
    });
    for (const r of rows) {
      const parsed = parseMuxEvent(r.payload);
      if (!parsed.ok) continue;
      const plan = planMuxEvent(parsed.event);
      if (plan.kind === 'download' && plan.assetId === assetId) return plan.fileName;
    }
    return null;
  }
}
