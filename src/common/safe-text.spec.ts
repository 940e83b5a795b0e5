import { normaliseText, scrubText, textProblem } from './safe-text';

const cp = (...codes: number[]) => String.fromCodePoint(...codes);

describe('safe text', () => {
  it.each([0, 7, 0x1b, 0x7f, 0x85, 0x9f])('refuses control character U+%s everywhere', (code) => {
    for (const kind of ['line', 'multiline', 'name'] as const) {
      expect(textProblem(`a${cp(code)}b`, kind)).toMatch(/control characters/);
    }
  });

  it('allows tab and line breaks only in multi-line text', () => {
    expect(textProblem('one\r\n\ttwo', 'multiline')).toBeNull();
    expect(textProblem('one\ntwo', 'line')).toMatch(/line breaks/);
    expect(textProblem('one\ttwo', 'name')).toMatch(/control/);
  });

  it('refuses lone surrogates', () => {
    expect(textProblem('a\ud800b', 'line')).toMatch(/surrogate/);
    expect(textProblem('😀', 'line')).toBeNull();
  });

  it.each([0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069])(
    'refuses bidi control U+%s in names only',
    (code) => {
      expect(textProblem(`ab${cp(code)}cd`, 'name')).toMatch(/bidirectional/);
      expect(textProblem(`ab${cp(code)}cd`, 'multiline')).toBeNull();
    },
  );

  it('normalises to NFC', () => {
    expect(normaliseText('Jose\u0301', 'line')).toBe('Jos\u00e9');
  });

  it('removes zero-width spaces, word joiners and BOMs from names, and joiners at word edges', () => {
    expect(normaliseText('\ufeffAd\u200bmi\u2060n', 'name')).toBe('Admin');
    expect(normaliseText('\u200d\u200dAda \u200cLovelace\u200d', 'name')).toBe('Ada Lovelace');
    expect(normaliseText('\u200b\u200d', 'name')).toBe('');
  });

  it('keeps joiners between visible characters (emoji sequences, Persian)', () => {
    const family = '👨\u200d👩\u200d👧';
    expect(normaliseText(`Fam ${family}`, 'name')).toBe(`Fam ${family}`);
    expect(normaliseText('می\u200cخواهم', 'name')).toBe('می\u200cخواهم');
  });

  it('leaves zero-width characters in non-name text alone', () => {
    expect(normaliseText('a\u200bb', 'multiline')).toBe('a\u200bb');
  });
});

describe('scrubText', () => {
  it('removes what textProblem refuses, so the result always passes', () => {
    const nasty = `\u0000A\u202Ed\u200Ba\ud800 \u0007\u2066Lovelace\u0085\n`;
    const out = scrubText(nasty, 'name');
    expect(out).toBe('Ada\ufffd Lovelace');
    expect(textProblem(out, 'name')).toBeNull();
    expect(scrubText('a\u0000\r\nb', 'multiline')).toBe('a\r\nb');
  });
});
