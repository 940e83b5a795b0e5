import { MuxEvent, parseMuxEvent, planMuxEvent, readyMp4 } from './mux-event';

const event = (type: string, data: Record<string, unknown>): MuxEvent => {
  const parsed = parseMuxEvent({ id: 'evt-1', type, created_at: '2026-01-01T00:00:00Z', data });
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.event;
};

describe('Mux static renditions → downloads', () => {
  const rendition = { id: 'r1', asset_id: 'asset1', name: 'highest.mp4', ext: 'mp4', status: 'ready' };

  it('files a rendition event under its asset, so the post can find it later', () => {
    expect(event('video.asset.static_rendition.ready', rendition).objectId).toBe('asset1');
    expect(event('video.asset.ready', { id: 'asset1' }).objectId).toBe('asset1');
  });

  it('video.asset.static_rendition.ready of an MP4 → download', () => {
    expect(planMuxEvent(event('video.asset.static_rendition.ready', rendition))).toEqual({
      kind: 'download',
      assetId: 'asset1',
      fileName: 'highest.mp4',
    });
  });

  it('ignores audio, odd names, renditions not ready, and ones without asset_id', () => {
    const plan = (d: Record<string, unknown>) =>
      planMuxEvent(event('video.asset.static_rendition.ready', { ...rendition, ...d })).kind;
    expect(plan({ name: 'audio.m4a', ext: 'm4a' })).toBe('ignore');
    expect(plan({ name: '../x.mp4' })).toBe('ignore');
    expect(plan({ status: 'preparing' })).toBe('ignore');
    expect(plan({ asset_id: undefined })).toBe('ignore');
    expect(planMuxEvent(event('video.asset.static_rendition.created', rendition)).kind).toBe('ignore');
  });

  it('video.asset.static_renditions.ready (the asset) → its best ready MP4', () => {
    const asset = {
      id: 'asset1',
      static_renditions: {
        status: 'ready',
        files: [
          { name: 'audio.m4a', ext: 'm4a', status: 'ready' },
          { name: '720p.mp4', ext: 'mp4', status: 'ready', height: 720 },
          { name: 'highest.mp4', ext: 'mp4', status: 'ready', height: 1080 },
        ],
      },
    };
    expect(planMuxEvent(event('video.asset.static_renditions.ready', asset))).toEqual({
      kind: 'download',
      assetId: 'asset1',
      fileName: 'highest.mp4',
    });
  });

  it('readyMp4: ready files only; mp4_support files (no status) when the whole set is ready', () => {
    expect(readyMp4({ files: [{ name: 'highest.mp4', status: 'preparing' }] })).toBeNull();
    expect(readyMp4({ status: 'ready', files: [{ name: 'low.mp4' }, { name: 'high.mp4' }] })).toBe(
      'high.mp4',
    );
    expect(readyMp4({ status: 'preparing', files: [{ name: 'high.mp4' }] })).toBeNull();
    expect(
      readyMp4({
        files: [
          { name: '480p.mp4', status: 'ready', height: 480 },
          { name: '720p.mp4', status: 'ready', height: 720 },
        ],
      }),
    ).toBe('720p.mp4');
    expect(readyMp4(undefined)).toBeNull();
  });

  it('a recording event names an MP4 already ready in its asset', () => {
    const asset = {
      id: 'asset1',
      live_stream_id: 'ls1',
      playback_ids: [{ id: 'pub1', policy: 'public' }],
      static_renditions: { files: [{ name: 'highest.mp4', ext: 'mp4', status: 'ready' }] },
    };
    const plan = planMuxEvent(event('video.asset.live_stream_completed', asset));
    expect(plan.kind === 'recording' && plan.downloadFile).toBe('highest.mp4');
  });
});
