import { PostResponse } from '../../posts/dto/post-responses.dto';

export type StreamStatusName = 'IDLE' | 'CONNECTED' | 'ACTIVE' | 'DISCONNECTED' | 'ENDED';

export class CreatorProfileResponse {
  handle!: string;
  displayName!: string;
  bio!: string;
}

export class MeResponse {
  id!: string;
  displayName!: string;
  /** Null until the user sets up a creator profile. */
  creatorProfile!: CreatorProfileResponse | null;
  /** Others may download this creator's recordings (issue 12). */
  allowDownloads!: boolean;
}

/** A creator's current live stream, as shown to everyone. */
export class LiveStreamSummary {
  id!: string;
  status!: StreamStatusName;
  isLive!: boolean;
  playbackId!: string | null;
  playbackUrl!: string | null;
  startedAt!: Date | null;
  /** A JPEG of the live stream (Mux's thumbnail, or the local provider's, refreshed every 10 s). */
  posterUrl!: string | null;
}

export class CreatorSummary extends CreatorProfileResponse {
  /** The creator's broadcast when live now, else null. */
  live!: LiveStreamSummary | null;
  latestPost!: PostResponse | null;
}

export class CreatorList {
  /** Live creators first. */
  items!: CreatorSummary[];
}

export class CreatorPageResponse extends CreatorProfileResponse {
  /** The newest stream not ended yet, live or not. */
  liveStream!: LiveStreamSummary | null;
}
