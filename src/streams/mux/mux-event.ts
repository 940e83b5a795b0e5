/**
 * Mux webhook events (`{type, id, created_at, object, data, environment, …}`): the shape we accept,
 * and what each one means for our live streams. Pure: no I/O, unit-tested beside this file.
 */
import type { ProviderStreamChange, RecordingInfo } from '../live-state.service';
import { muxPlaybackUrl } from './mux-client';

export interface MuxEvent {
  id: string;
  type: string;
  /** Mux's created_at: the time of the change, used to apply changes in order. */
  createdAt: Date;
  /** data.id: the live stream or asset the event is about. */
  objectId: string | null;
  data: Record<string, unknown>;
}

export type MuxEventParse = { ok: true; event: MuxEvent } | { ok: false; problem: string };

const MAX_ID = 255;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID;

/** A verified body is a Mux event only with a string id and type, an ISO created_at and a data object. */
export function parseMuxEvent(value: unknown): MuxEventParse {
  if (!isRecord(value)) return { ok: false, problem: 'the body is not a JSON object' };
  if (!nonEmpty(value.id)) return { ok: false, problem: 'id must be a non-empty string' };
  if (!nonEmpty(value.type)) return { ok: false, problem: 'type must be a non-empty string' };
  const createdAt = typeof value.created_at === 'string' ? new Date(value.created_at) : null;
  if (!createdAt || Number.isNaN(createdAt.getTime())) {
    return { ok: false, problem: 'created_at must be an ISO 8601 date' };
  }
  if (!isRecord(value.data)) return { ok: false, problem: 'data must be an object' };
  // A static rendition's events are filed under its asset, so the asset's post can find them later.
  const objectId =
    value.type.startsWith(STATIC_RENDITION_PREFIX) && nonEmpty(value.data.asset_id)
      ? value.data.asset_id
      : nonEmpty(value.data.id)
        ? value.data.id
        : null;
  return { ok: true, event: { id: value.id, type: value.type, createdAt, objectId, data: value.data } };
}

export type MuxAction =
  | { kind: 'state'; providerStreamId: string; change: ProviderStreamChange }
  | { kind: 'recording'; providerStreamId: string; recording: RecordingInfo; downloadFile: string | null }
  /** An MP4 static rendition of the asset is ready: its post's downloadUrl. */
  | { kind: 'download'; assetId: string; fileName: string }
  | { kind: 'ignore'; reason: string };

const STATIC_RENDITION_PREFIX = 'video.asset.static_rendition.';

/** A static rendition is ready (the Static Renditions API), or all of them (the older mp4_support). */
export const MUX_DOWNLOAD_EVENTS: readonly string[] = [
  'video.asset.static_rendition.ready',
  'video.asset.static_renditions.ready',
];

/** Our preference among MP4 renditions: the one we ask for first, then the best of the older names. */
const MP4_PREFERENCE = ['highest.mp4', 'capped-1080p.mp4', 'high.mp4', '2160p.mp4', '1440p.mp4', '1080p.mp4'];
const MP4_NAME = /^[a-z0-9-]{1,32}\.mp4$/;

/**
 * The MP4 to offer among an asset's `static_renditions.files` (ready ones; files of the older
 * mp4_support carry no status and are ready when the asset's static_renditions.status is).
 */
export function readyMp4(staticRenditions: unknown): string | null {
  if (!isRecord(staticRenditions) || !Array.isArray(staticRenditions.files)) return null;
  const allReady = staticRenditions.status === 'ready';
  const names: { name: string; height: number }[] = [];
  for (const f of staticRenditions.files as unknown[]) {
    if (!isRecord(f) || typeof f.name !== 'string' || !MP4_NAME.test(f.name)) continue;
    if (!(f.status === 'ready' || (f.status === undefined && allReady))) continue;
    names.push({ name: f.name, height: typeof f.height === 'number' ? f.height : 0 });
  }
  for (const preferred of MP4_PREFERENCE) if (names.some((n) => n.name === preferred)) return preferred;
  return names.sort((a, b) => b.height - a.height)[0]?.name ?? null;
}

function planDownload(e: MuxEvent): MuxAction {
  if (e.type === 'video.asset.static_renditions.ready') {
    if (!e.objectId) return { kind: 'ignore', reason: `${e.type} without data.id` };
    const fileName = readyMp4(e.data.static_renditions);
    if (!fileName) return { kind: 'ignore', reason: `asset ${e.objectId} has no ready MP4 rendition` };
    return { kind: 'download', assetId: e.objectId, fileName };
  }
  const assetId = e.data.asset_id;
  if (!nonEmpty(assetId)) return { kind: 'ignore', reason: `${e.type} without data.asset_id` };
  const name = e.data.name;
  if (typeof name !== 'string' || !MP4_NAME.test(name))
    return { kind: 'ignore', reason: `static rendition of ${assetId} is not an MP4` };
  if (e.data.status !== undefined && e.data.status !== 'ready')
    return { kind: 'ignore', reason: `static rendition of ${assetId} is not ready` };
  return { kind: 'download', assetId, fileName: name };
}

/** Live stream events and the state they report. */
export const MUX_STATE_EVENTS: Readonly<Record<string, ProviderStreamChange>> = {
  'video.live_stream.connected': 'connected',
  'video.live_stream.active': 'active',
  'video.live_stream.disconnected': 'disconnected',
  'video.live_stream.idle': 'idle',
  'video.live_stream.disabled': 'ended',
  'video.live_stream.deleted': 'ended',
};

/**
 * Asset events that mean a live stream's recording is playable (both may arrive: one post per asset);
 * a `ready` sent while the broadcast is still live (is_live true) is not one yet.
 */
export const MUX_RECORDING_EVENTS: ReadonlySet<string> = new Set([
  'video.asset.ready',
  'video.asset.live_stream_completed',
]);

function publicPlaybackId(data: Record<string, unknown>): string | null {
  if (!Array.isArray(data.playback_ids)) return null;
  for (const p of data.playback_ids as unknown[]) {
    if (isRecord(p) && p.policy === 'public' && nonEmpty(p.id)) return p.id;
  }
  return null;
}

/** What a Mux event asks of us. Unknown types and assets that are not live recordings are ignored. */
export function planMuxEvent(e: MuxEvent): MuxAction {
  const change = Object.hasOwn(MUX_STATE_EVENTS, e.type) ? MUX_STATE_EVENTS[e.type] : undefined;
  if (change) {
    if (!e.objectId) return { kind: 'ignore', reason: `${e.type} without data.id` };
    return { kind: 'state', providerStreamId: e.objectId, change };
  }
  if (MUX_DOWNLOAD_EVENTS.includes(e.type)) return planDownload(e);
  if (MUX_RECORDING_EVENTS.has(e.type)) {
    const liveStreamId = e.data.live_stream_id;
    if (!nonEmpty(liveStreamId)) {
      return { kind: 'ignore', reason: 'asset is not the recording of a live stream' };
    }
    if (!e.objectId) return { kind: 'ignore', reason: `${e.type} without data.id` };
    // A live stream's asset is "ready" (playable as DVR) soon after the broadcast starts, with
    // is_live true: its post waits for live_stream_completed (or a ready sent after the broadcast).
    if (e.type === 'video.asset.ready' && e.data.is_live === true) {
      return { kind: 'ignore', reason: `asset ${e.objectId} is still recording a live broadcast` };
    }
    const playbackId = publicPlaybackId(e.data);
    if (!playbackId) return { kind: 'ignore', reason: `asset ${e.objectId} has no public playback id` };
    const duration = e.data.duration;
    return {
      kind: 'recording',
      providerStreamId: liveStreamId,
      recording: {
        assetId: e.objectId,
        playbackId,
        playbackUrl: muxPlaybackUrl(playbackId),
        posterUrl: `https://image.mux.com/${playbackId}/thumbnail.jpg`,
        durationSec:
          typeof duration === 'number' && Number.isFinite(duration) && duration >= 0 ? duration : null,
      },
      downloadFile: readyMp4(e.data.static_renditions),
    };
  }
  return { kind: 'ignore', reason: `event type ${e.type} is not used` };
}
