import { mediaStart } from './local.provider';

describe('mediaStart (a local broadcast dated from its first media)', () => {
  const connectedAt = new Date(10_000);
  const playlist = '#EXTM3U\n#EXT-X-TARGETDURATION:3\n#EXTINF:2.400000,\nseg-00000.ts\n';

  it('is now minus the first segment', () => {
    expect(mediaStart(playlist, connectedAt, 20_000).getTime()).toBe(17_600);
  });
  it('is never before "connected" (the state guard refuses older changes)', () => {
    expect(mediaStart(playlist, connectedAt, 11_000).getTime()).toBe(10_001);
  });
  it('is now for a resumed broadcast or an unreadable playlist', () => {
    expect(mediaStart(playlist, undefined, 20_000).getTime()).toBe(20_000);
    expect(mediaStart('#EXTM3U\n', connectedAt, 20_000).getTime()).toBe(20_000);
  });
});
