import { Inject, Injectable } from '@nestjs/common';
import { AuthService } from '../../auth/auth.service';
import { SignInThrottled } from '../../auth/sign-in-limit';
import { APP_CONFIG } from '../../config/app-config.module';
import type { AppConfig } from '../../config/app-config';
import { CloseCode } from '../../contract/close-codes';
import type { LiveStream } from '../../generated/prisma/client';
import { MediaStorage } from '../../storage/media-storage';
import { parseIngestMime } from '../pipeline/ffmpeg-args';
import { StreamsService } from '../streams.service';
import { AdmissionPacer, PerKeyCap, SlidingWindowLimit } from './admission-limits';
import { BroadcastLifecycle } from './broadcast-lifecycle.service';
import { IngestPipelines } from './ingest-pipelines.service';
import { IngestRefusal } from './ingest-refusal';

/**
 * Who may publish: sockets not yet authenticated capped per address, hellos per user and minute,
 * the checks of a hello (token, key, owner, media, disk, capacity, the key's lease) paced so a
 * reconnect storm cannot swamp the database, and FFmpeg starts spaced out.
 */
@Injectable()
export class IngestAdmission {
  private readonly preauth: PerKeyCap;
  private readonly preauthByKey = new Map<string, Set<() => void>>();
  private readonly userHellos: SlidingWindowLimit;
  private readonly pacer: AdmissionPacer;
  /** Streams admitted as the continuation of a broadcast in its reconnect window. */
  private readonly resuming = new Set<string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly streams: StreamsService,
    private readonly storage: MediaStorage,
    private readonly broadcasts: BroadcastLifecycle,
    private readonly pipelines: IngestPipelines,
  ) {
    const limits = config.ingest;
    this.preauth = new PerKeyCap(limits.preauthSocketsPerIp);
    this.userHellos = new SlidingWindowLimit(limits.publishesPerUserPerMinute, 60_000);
    this.pacer = new AdmissionPacer(limits.admissionConcurrency, limits.pipelineStartsPerSecond);
  }

  /**
   * A socket for `streamKey` opened from `ip`: null when that address has too many unauthenticated
   * sockets, else the function to call when the socket closes. An admitted publisher no longer counts.
   */
  enter(ip: string, streamKey: string): (() => void) | null {
    if (!this.preauth.tryAcquire(ip)) return null;
    let counted = true;
    const uncount = () => {
      if (counted) this.preauth.release(ip);
      counted = false;
    };
    const pending = this.preauthByKey.get(streamKey) ?? new Set();
    pending.add(uncount);
    this.preauthByKey.set(streamKey, pending);
    return () => {
      uncount();
      pending.delete(uncount);
      if (pending.size === 0 && this.preauthByKey.get(streamKey) === pending)
        this.preauthByKey.delete(streamKey);
    };
  }

  /**
   * Checks a hello from address `from` and claims the key; throws IngestRefusal. Paced: at most
   * INGEST_ADMISSION_CONCURRENCY at once.
   */
  admit(streamKey: string, token: string, mimeType: string, from: string): Promise<LiveStream> {
    return this.pacer.admit(() => this.admitNow(streamKey, token, mimeType, from));
  }

  /** Resolves when the next FFmpeg may start (INGEST_PIPELINE_STARTS_PER_SECOND). */
  startTurn(): Promise<void> {
    return this.pacer.startTurn();
  }

  /** Whether the admitted stream continues its broadcast (asked once, when its pipeline starts). */
  takeResumed(liveStreamId: string): boolean {
    return this.resuming.delete(liveStreamId);
  }

  private async admitNow(
    streamKey: string,
    token: string,
    mimeType: string,
    from: string,
  ): Promise<LiveStream> {
    const user = await this.auth.signIn(token, from).catch((e: unknown) => {
      if (e instanceof SignInThrottled) throw new IngestRefusal(CloseCode.TooManyRequests, e.message);
      throw e;
    });
    if (!user) throw new IngestRefusal(CloseCode.Unauthenticated, 'the session token is invalid or expired');
    if (!this.userHellos.hit(user.id)) {
      throw new IngestRefusal(
        CloseCode.TooManyRequests,
        `more than ${this.config.ingest.publishesPerUserPerMinute} connection attempts a minute: wait and retry`,
      );
    }
    const stream = await this.streams.findByKey(streamKey);
    if (!stream || stream.status === 'ENDED')
      throw new IngestRefusal(CloseCode.UnknownStreamKey, 'unknown stream key');
    if (stream.creatorId !== user.id)
      throw new IngestRefusal(CloseCode.NotYourStream, 'this stream key belongs to another creator');
    if (!parseIngestMime(mimeType)) {
      throw new IngestRefusal(
        CloseCode.UnsupportedMedia,
        `unsupported media "${mimeType.slice(0, 80)}": send video/webm with h264, vp8 or vp9 and opus`,
      );
    }
    const full = await this.storage.refusal();
    if (full) throw new IngestRefusal(CloseCode.StorageFull, full);
    if (this.pipelines.inFlight >= this.config.ingest.maxPipelines) {
      throw new IngestRefusal(
        CloseCode.AtCapacity,
        `the server is at capacity (${this.config.ingest.maxPipelines} live broadcasts): retry in a minute`,
      );
    }
    this.pipelines.reserve(stream.id, 1);
    const grant = await this.broadcasts.claim(stream.id).catch((e: unknown) => {
      this.pipelines.reserve(stream.id, -1);
      throw e;
    });
    if (!grant) {
      this.pipelines.reserve(stream.id, -1);
      throw new IngestRefusal(
        CloseCode.AlreadyPublishing,
        'this stream is already being published from another connection',
      );
    }
    for (const uncount of this.preauthByKey.get(streamKey) ?? []) uncount(); // authenticated now
    if (grant.resumed) this.resuming.add(stream.id);
    else this.resuming.delete(stream.id);
    return stream;
  }
}
