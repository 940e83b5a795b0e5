/**
 * Mux's side of a broadcast, played by the stand-in from what the real RTMP receiver sees: a publish
 * makes the live stream connected and active with an asset recording it; when the publish ends Mux
 * waits `reconnect_window` seconds — a new publish inside it continues the SAME asset — and then (or
 * at once after `complete`) reports idle and the asset ready. Signed webhooks go to the app as Mux
 * sends them, so a test sees how many assets (and VOD posts) one broadcast made.
 */
import { randomBytes } from 'node:crypto';
import type { MuxStandin, StandinLiveStream } from './mux-standin';
import type { RtmpReceiver } from './rtmp-receiver';

interface Broadcast {
  assetId: string;
  playbackId: string;
  publishedMs: number;
  publishStartedAt: number | null;
  windowEndsAt: number | null;
}

export interface FinishedAsset {
  assetId: string;
  liveStreamId: string;
  publishes: number;
  durationSec: number;
}

const id = (n: number) => randomBytes(n).toString('base64url').replace(/[-_]/g, 'x');

export class MuxBroadcasts {
  readonly assets: FinishedAsset[] = [];
  /** Webhook deliveries that did not get a 2xx. */
  readonly failedDeliveries: string[] = [];
  private readonly open = new Map<string, Broadcast & { publishes: number }>();
  private seen = 0;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly mux: MuxStandin,
    private readonly rtmp: RtmpReceiver,
    private readonly appUrl: string,
  ) {}

  start(): void {
    this.timer = setInterval(() => (this.chain = this.chain.then(() => this.poll())), 100);
  }

  /** Stops following and waits for the deliveries under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.chain;
  }

  private async poll(): Promise<void> {
    const events = this.rtmp.events();
    for (const e of events.slice(this.seen)) {
      const ls = [...this.mux.liveStreams.values()].find((l) => l.stream_key === e.name);
      if (!ls) continue;
      if (e.kind === 'publish') await this.published(ls, e.atMs);
      else await this.publishDone(ls, e.atMs);
    }
    this.seen = events.length;
    const now = Date.now();
    for (const [lsId, b] of this.open) {
      const ls = this.mux.liveStreams.get(lsId)!;
      if (b.publishStartedAt === null && (ls.completed || (b.windowEndsAt !== null && now >= b.windowEndsAt)))
        await this.finish(ls, b);
    }
  }

  private async published(ls: StandinLiveStream, atMs: number): Promise<void> {
    let b = this.open.get(ls.id);
    if (!b) {
      b = {
        assetId: `asset${id(12)}`,
        playbackId: id(16),
        publishedMs: 0,
        publishStartedAt: null,
        windowEndsAt: null,
        publishes: 0,
      };
      this.open.set(ls.id, b);
    }
    b.publishes++;
    b.publishStartedAt = atMs;
    b.windowEndsAt = null;
    ls.status = 'active';
    const data = { id: ls.id, stream_key: ls.stream_key, playback_ids: ls.playback_ids };
    await this.send('video.live_stream.connected', { ...data, status: 'idle' }, atMs);
    await this.send(
      'video.live_stream.active',
      { ...data, status: 'active', active_asset_id: b.assetId },
      atMs + 1,
    );
  }

  private async publishDone(ls: StandinLiveStream, atMs: number): Promise<void> {
    const b = this.open.get(ls.id);
    if (!b || b.publishStartedAt === null) return;
    b.publishedMs += atMs - b.publishStartedAt;
    b.publishStartedAt = null;
    b.windowEndsAt = atMs + ls.reconnect_window * 1000;
    // While disconnected the live stream stays "active" for Mux, inside its reconnect window.
    await this.send('video.live_stream.disconnected', { id: ls.id, status: 'active' }, atMs);
  }

  private async finish(ls: StandinLiveStream, b: Broadcast & { publishes: number }): Promise<void> {
    this.open.delete(ls.id);
    ls.status = 'idle';
    ls.completed = false;
    const now = Date.now();
    const durationSec = Math.round(b.publishedMs / 10) / 100;
    await this.send('video.live_stream.idle', { id: ls.id, status: 'idle' }, now);
    await this.send(
      'video.asset.ready',
      {
        id: b.assetId,
        status: 'ready',
        live_stream_id: ls.id,
        is_live: false,
        duration: durationSec,
        playback_ids: [{ id: b.playbackId, policy: 'public' }],
      },
      now + 1,
    );
    this.assets.push({ assetId: b.assetId, liveStreamId: ls.id, publishes: b.publishes, durationSec });
  }

  private async send(type: string, data: Record<string, unknown>, atMs: number): Promise<void> {
    const status = await this.mux.deliver(this.appUrl, type, data, { createdAt: new Date(atMs) });
    if (status >= 300) this.failedDeliveries.push(`${type} → ${status}`);
  }
}
