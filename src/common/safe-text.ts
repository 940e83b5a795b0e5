/**
 * What text a client may send (issue 16 item 8), as pure functions: one definition for every DTO
 * (through the `@SafeText` decorator) and for text that arrives by other routes (webhooks).
 *
 * - No control characters: C0 (except tab, LF and CR in multi-line text), DEL and C1. PostgreSQL
 *   refuses NUL outright (SQLSTATE 22021) and the others only hide things from readers.
 * - No lone surrogates (not valid UTF-8, so not storable either).
 * - Names (a person's or a creator's display name) are normalised: NFC, zero-width spaces, word
 *   joiners and BOMs removed, zero-width (non-)joiners kept only between two visible characters (where
 *   emoji sequences and Indic and Persian scripts need them), and bidi overrides, embeddings and
 *   isolates refused: they let a name display as something it is not ("evil\u202Egnp.exe").
 */
export type TextKind = 'line' | 'multiline' | 'name';

// Built from code points so no invisible character hides in this file's source.
const range = (from: number, to: number) => `\\u{${from.toString(16)}}-\\u{${to.toString(16)}}`;
const CONTROL_LINE = new RegExp(`[${range(0, 0x1f)}${range(0x7f, 0x9f)}]`, 'u');
const CONTROL_MULTILINE = new RegExp(
  `[${range(0, 8)}${range(0xb, 0xc)}${range(0xe, 0x1f)}${range(0x7f, 0x9f)}]`,
  'u',
);
const BIDI_CONTROL = new RegExp(`[${range(0x202a, 0x202e)}${range(0x2066, 0x2069)}]`, 'u');
const ALWAYS_STRIPPED = new RegExp(`[\\u{200b}\\u{2060}\\u{feff}]`, 'gu');
/** A high surrogate without its low half, or a low one without its high half (matched without 'u'). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATE_ALL = new RegExp(LONE_SURROGATE.source, 'g');
const isWellFormed = (value: string) => !LONE_SURROGATE.test(value);
/** A zero-width (non-)joiner with no visible character on one of its sides. */
const STRAY_JOINER = /(^|\s)[\u200c\u200d]+|[\u200c\u200d]+(?=\s|$)/gu;

/** The form text is stored in: NFC; for names, stray invisible characters removed. */
export function normaliseText(value: string, kind: TextKind): string {
  if (!isWellFormed(value)) return value; // refused by textProblem; normalize() would hide it
  const nfc = value.normalize('NFC');
  if (kind !== 'name') return nfc;
  let out = nfc.replace(ALWAYS_STRIPPED, '');
  // Repeat: removing one stray joiner may leave its neighbour stray ("\u200d\u200d" at an edge).
  for (let prev = ''; prev !== out;) {
    prev = out;
    out = out.replace(STRAY_JOINER, '$1');
  }
  return out;
}

/** Why `value` may not be stored as `kind` text, or null when it may. */
export function textProblem(value: string, kind: TextKind): string | null {
  if (!isWellFormed(value)) return 'contains an unpaired surrogate (not valid Unicode)';
  const control = kind === 'multiline' ? CONTROL_MULTILINE : CONTROL_LINE;
  if (control.test(value)) {
    return kind === 'multiline'
      ? 'contains control characters (only tab and line breaks are allowed)'
      : 'contains control characters or line breaks';
  }
  if (kind === 'name' && BIDI_CONTROL.test(value)) {
    return 'contains bidirectional override or isolate characters';
  }
  return null;
}

const CONTROL_LINE_ALL = new RegExp(CONTROL_LINE.source, 'gu');
const CONTROL_MULTILINE_ALL = new RegExp(CONTROL_MULTILINE.source, 'gu');
const BIDI_CONTROL_ALL = new RegExp(BIDI_CONTROL.source, 'gu');

/**
 * For text we must store but cannot refuse (a signed identity provider's name): what `textProblem`
 * would refuse is removed (lone surrogates become U+FFFD), then the text is normalised.
 */
export function scrubText(value: string, kind: TextKind): string {
  let out = value
    .replace(LONE_SURROGATE_ALL, '\ufffd')
    .replace(kind === 'multiline' ? CONTROL_MULTILINE_ALL : CONTROL_LINE_ALL, '');
  if (kind === 'name') out = out.replace(BIDI_CONTROL_ALL, '');
  return normaliseText(out, kind);
}
