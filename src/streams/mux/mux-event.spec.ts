import { MuxEvent, parseMuxEvent, planMuxEvent } from './mux-event';

const event = (type: string, data: Record<string, unknown>): MuxEvent => ({
  id: 'evt-1',
  type,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  objectId: typeof data.id === 'string' ? data.id : null,
  data,
});

describe('parseMuxEvent', () => {
  const valid = {
    type: 'video.live_stream.active',
    id: '3a56ac3d-33da-4366-855b-f592d898409d',
    created_at: '2026-01-01T12:00:00.123456Z',
    object: { type: 'live_stream', id: 'ls1' },
    environment: { name: 'Production', id: 'env1' },
    data: { id: 'ls1', status: 'active' },
  };

  it('accepts a Mux event and reads its time and object', () => {
    const r = parseMuxEvent(valid);
    expect(r).toEqual({
      ok: true,
      event: {
        id: valid.id,
        type: valid.type,
        createdAt: new Date('2026-01-01T12:00:00.123Z'),
        objectId: 'ls1',
        data: valid.data,
      },
    });
  });

  it('accepts data without an id (objectId null)', () => {
    const r = parseMuxEvent({ ...valid, data: {} });
    expect(r.ok && r.event.objectId).toBeNull();
  });

  it.each([
    ['an array', []],
    ['a string', 'hello'],
    ['null', null],
    ['no id', { ...valid, id: undefined }],
    ['an empty id', { ...valid, id: '' }],
    ['a numeric id', { ...valid, id: 42 }],
    ['a huge id', { ...valid, id: 'x'.repeat(256) }],
    ['no type', { ...valid, type: undefined }],
    ['no created_at', { ...valid, created_at: undefined }],
    ['a bad created_at', { ...valid, created_at: 'yesterday' }],
    ['a numeric created_at', { ...valid, created_at: 1700000000 }],
    ['no data', { ...valid, data: undefined }],
    ['array data', { ...valid, data: [] }],
  ])('refuses %s', (_name, body) => {
    expect(parseMuxEvent(body).ok).toBe(false);
  });
});

describe('planMuxEvent', () => {
  it.each([
    ['video.live_stream.connected', 'connected'],
    ['video.live_stream.active', 'active'],
    ['video.live_stream.disconnected', 'disconnected'],
    ['video.live_stream.idle', 'idle'],
    ['video.live_stream.disabled', 'ended'],
    ['video.live_stream.deleted', 'ended'],
  ])('%s → %s', (type, change) => {
    expect(planMuxEvent(event(type, { id: 'ls1' }))).toEqual({
      kind: 'state',
      providerStreamId: 'ls1',
      change,
    });
  });

  const asset = {
    id: 'asset1',
    live_stream_id: 'ls1',
    duration: 12.5,
    playback_ids: [
      { id: 'signed1', policy: 'signed' },
      { id: 'pub1', policy: 'public' },
    ],
  };

  it.each(['video.asset.ready', 'video.asset.live_stream_completed'])(
    '%s of a live recording → recording with the public playback id',
    (type) => {
      expect(planMuxEvent(event(type, asset))).toEqual({
        kind: 'recording',
        providerStreamId: 'ls1',
        recording: {
          assetId: 'asset1',
          playbackId: 'pub1',
          playbackUrl: 'https://stream.mux.com/pub1.m3u8',
          posterUrl: 'https://image.mux.com/pub1/thumbnail.jpg',
          durationSec: 12.5,
        },
        downloadFile: null,
      });
    },
  );

  it('waits while the recording is still live: ready with is_live true is ignored, completed is not', () => {
    expect(planMuxEvent(event('video.asset.ready', { ...asset, is_live: true })).kind).toBe('ignore');
    expect(planMuxEvent(event('video.asset.ready', { ...asset, is_live: false })).kind).toBe('recording');
    expect(planMuxEvent(event('video.asset.live_stream_completed', { ...asset, is_live: true })).kind).toBe(
      'recording',
    );
  });

  it('keeps an unknown duration as null', () => {
    const plan = planMuxEvent(event('video.asset.ready', { ...asset, duration: 'long' }));
    expect(plan.kind === 'recording' && plan.recording.durationSec).toBeNull();
  });

  it('ignores assets that are not live recordings or have no public playback id', () => {
    expect(planMuxEvent(event('video.asset.ready', { ...asset, live_stream_id: undefined })).kind).toBe(
      'ignore',
    );
    expect(
      planMuxEvent(event('video.asset.ready', { ...asset, playback_ids: [{ id: 's', policy: 'signed' }] }))
        .kind,
    ).toBe('ignore');
    expect(planMuxEvent(event('video.asset.ready', { ...asset, playback_ids: undefined })).kind).toBe(
      'ignore',
    );
    expect(planMuxEvent(event('video.asset.ready', { ...asset, id: undefined })).kind).toBe('ignore');
  });

  it('ignores unknown types, prototype names and state events without data.id', () => {
    expect(planMuxEvent(event('video.upload.created', { id: 'u1' })).kind).toBe('ignore');
    expect(planMuxEvent(event('toString', { id: 'u1' })).kind).toBe('ignore');
    expect(planMuxEvent(event('video.live_stream.active', {})).kind).toBe('ignore');
  });
});
