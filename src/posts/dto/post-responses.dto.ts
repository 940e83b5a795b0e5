export class PostCreator {
  handle!: string;
  displayName!: string;
}

export class PostResponse {
  id!: string;
  kind!: 'TEXT' | 'VOD';
  title!: string;
  body!: string;
  /** VOD posts: the recording (absent or null on text posts). */
  playbackId?: string | null;
  playbackUrl?: string | null;
  durationSec?: number | null;
  /** VOD posts: the MP4 download, for its author and, when the creator allows it, everyone. */
  downloadUrl?: string | null;
  /** VOD posts: a JPEG of the recording. */
  posterUrl?: string | null;
  /** VOD posts: the broadcast it recorded (its chat replay is GET /streams/:id/chat). */
  streamId?: string | null;
  createdAt!: Date;
  /** The author's creator profile (every post's author has one). */
  creator!: PostCreator | null;
}

export class PostPage {
  items!: PostResponse[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor!: string | null;
}
