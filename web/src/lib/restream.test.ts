import { describe, expect, it } from 'vitest';
import { maskedKey, restreamLine, validateTarget } from './restream';

describe('validateTarget', () => {
  const ok = { name: 'YouTube', url: 'rtmp://a.rtmp.youtube.com/live2', streamKey: 'abcd-1234' };

  it('accepts rtmp and rtmps addresses with a key', () => {
    expect(validateTarget(ok)).toEqual({});
    expect(validateTarget({ ...ok, url: 'rtmps://live-api-s.facebook.com:443/rtmp/' })).toEqual({});
  });

  it('names each problem', () => {
    const e = validateTarget({ name: ' ', url: 'https://youtube.com', streamKey: 'ab' });
    expect(Object.keys(e).sort()).toEqual(['name', 'streamKey', 'url']);
    expect(validateTarget({ ...ok, url: 'rtmp://user:pw@host/app' }).url).toBeDefined();
    expect(validateTarget({ ...ok, streamKey: 'has space' }).streamKey).toBeDefined();
    expect(validateTarget({ ...ok, name: 'x'.repeat(61) }).name).toBeDefined();
  });
});

describe('restreamLine', () => {
  it('says the state, and why a target failed', () => {
    expect(restreamLine({ name: 'YouTube', state: 'live', reason: null })).toBe('YouTube: live');
    expect(restreamLine({ name: 'Twitch', state: 'failed', reason: 'connection refused' })).toBe(
      'Twitch: failed — connection refused',
    );
    expect(restreamLine({ name: 'X', state: 'connecting', reason: null })).toBe('X: connecting…');
    expect(restreamLine({ name: 'X', state: 'failed', reason: null })).toBe('X: failed');
  });

  it('masks a key to its hint', () => {
    expect(maskedKey('x9Qz')).toBe('••••x9Qz');
  });
});
