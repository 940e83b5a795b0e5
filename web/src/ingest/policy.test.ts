import { describe, expect, it } from 'vitest';
import { backoffDelay, chooseMimeType, classifyClose, ingestUrl } from './policy';

describe('chooseMimeType', () => {
  it('prefers H.264, then VP8', () => {
    expect(chooseMimeType({ isTypeSupported: () => true })).toEqual({
      ok: true,
      mimeType: 'video/webm;codecs=h264,opus',
    });
    expect(chooseMimeType({ isTypeSupported: (t) => t.includes('vp8') })).toEqual({
      ok: true,
      mimeType: 'video/webm;codecs=vp8,opus',
    });
  });

  it('explains when the browser cannot record', () => {
    expect(chooseMimeType(undefined)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/MediaRecorder/),
    });
    expect(chooseMimeType({ isTypeSupported: () => false })).toMatchObject({ ok: false });
  });
});

describe('classifyClose', () => {
  it.each([4001, 4003, 4004, 4009, 4013, 4500])('does not reconnect on %i', (code) => {
    expect(classifyClose(code, '').kind).toBe('fatal');
  });

  it.each([1000, 1001, 1006, 1011])('reconnects on %i', (code) => {
    expect(classifyClose(code, '').kind).toBe('reconnect');
  });

  it('names another tab or device on 4009 without repeating the server’s reason', () => {
    const d = classifyClose(4009, 'already publishing');
    expect(d).toEqual({
      kind: 'fatal',
      message: 'Another tab or device is already streaming to this key. Stop streaming there first.',
    });
  });

  it('quotes the reason of a refusal it has no words for', () => {
    expect(classifyClose(4999, 'odd')).toEqual({ kind: 'fatal', message: expect.stringContaining('odd') });
  });
});

describe('backoffDelay', () => {
  it('retries at once, then doubles from 1 s and caps at 15 s', () => {
    const mid = () => 0.5; // no jitter
    expect([1, 2, 3, 4, 5, 6, 9].map((n) => backoffDelay(n, mid))).toEqual([
      0, 1000, 2000, 4000, 8000, 15000, 15000,
    ]);
  });
});

describe('ingestUrl', () => {
  it('follows the page scheme', () => {
    expect(ingestUrl('/stream/live/k', { protocol: 'https:', host: 'a.b' })).toBe('wss://a.b/stream/live/k');
    expect(ingestUrl('/stream/live/k', { protocol: 'http:', host: 'localhost:3000' })).toBe(
      'ws://localhost:3000/stream/live/k',
    );
  });
});
