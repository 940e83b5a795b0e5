import { existsSync } from 'node:fs';
import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { PrismaService } from '../prisma/prisma.service';
import { localDownloadPath } from '../streams/providers/local-derivatives';

export type Download =
  /** Local mode: the MP4 the app serves (with range requests). */
  | { kind: 'file'; path: string; filename: string }
  /** Mux: the static rendition's URL. */
  | { kind: 'redirect'; url: string };

/** Who may download a VOD post's recording (issue 12): its author always, others when the creator allows it. */
@Injectable()
export class PostDownloadsService {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async resolve(postId: string, viewerId: string | undefined): Promise<Download> {
    const post = await this.prisma.post.findUnique({
      where: { id: postId },
      select: {
        authorId: true,
        kind: true,
        assetId: true,
        downloadUrl: true,
        author: { select: { allowDownloads: true } },
      },
    });
    if (!post || post.kind !== 'VOD' || !post.downloadUrl || !post.assetId)
      throw new NotFoundException('This post has no download');
    if (post.authorId !== viewerId && !post.author.allowDownloads)
      throw new ForbiddenException('The creator does not allow downloads of their recordings');
    if (/^https:\/\//.test(post.downloadUrl)) return { kind: 'redirect', url: post.downloadUrl };
    const path = localDownloadPath(this.config.dataDir, post.assetId);
    if (!path || !existsSync(path)) throw new NotFoundException('This post has no download');
    return { kind: 'file', path, filename: `vybzz-${postId}.mp4` };
  }
}
