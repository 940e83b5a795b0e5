import { banHolds, banUntil, ChatRateLimit, checkChatText, slowModeWait } from './chat-rules';

describe('chat rules', () => {
  it('takes plain one-line text up to 500 characters, trimmed and NFC', () => {
    expect(checkChatText('  hi  ')).toEqual({ ok: true, text: 'hi' });
    expect(checkChatText('e\u0301')).toEqual({ ok: true, text: 'é' });
    expect(checkChatText('😀'.repeat(500))).toMatchObject({ ok: true });
    expect(checkChatText('a'.repeat(501))).toMatchObject({ ok: false, reason: 'too-long' });
  });

  it('refuses control characters, line breaks, lone surrogates and empty text', () => {
    for (const bad of ['a\u0000b', 'a\nb', 'a\u009bb', '\ud800', '   ', ''])
      expect(checkChatText(bad)).toMatchObject({ ok: false, reason: 'invalid-text' });
  });

  it('allows a burst of 3, then 1 per second, per user', () => {
    let now = 0;
    const limit = new ChatRateLimit(3, 1, () => now);
    expect([1, 2, 3].map(() => limit.take('u'))).toEqual([0, 0, 0]);
    expect(limit.take('u')).toBe(1000);
    expect(limit.take('other')).toBe(0);
    now = 500;
    expect(limit.take('u')).toBe(500);
    now = 1000;
    expect(limit.take('u')).toBe(0);
    expect(limit.take('u')).toBe(1000);
    now = 60_000;
    expect([1, 2, 3, 4].map(() => limit.take('u'))).toEqual([0, 0, 0, 1000]);
  });

  it('slow mode waits from the last message', () => {
    expect(slowModeWait(0, 1000, 1500)).toBe(0);
    expect(slowModeWait(10, null, 1500)).toBe(0);
    expect(slowModeWait(10, 1000, 1500)).toBe(9500);
    expect(slowModeWait(10, 1000, 11_000)).toBe(0);
  });

  it('bans are timed or permanent', () => {
    expect(banUntil(null, 0)).toBeNull();
    expect(banUntil(5, 1000)?.getTime()).toBe(301_000);
    expect(banHolds(null, 0)).toBe(false);
    expect(banHolds({ until: null }, 1e15)).toBe(true);
    expect(banHolds({ until: new Date(1000) }, 999)).toBe(true);
    expect(banHolds({ until: new Date(1000) }, 1000)).toBe(false);
  });
});
