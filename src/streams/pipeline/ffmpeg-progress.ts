/**
 * FFmpeg's `-progress` output: `key=value` lines, each report ending with `progress=continue` (or
 * `end`). It arrives 4 times a second per stream, so it is parsed in place: no split, no trimmed
 * copies, no regular expressions, nothing allocated per line.
 */

export interface FfmpegProgress {
  /** Bytes FFmpeg has written to its output so far. */
  totalSize: number;
  /** Media time of the output so far, in milliseconds. */
  outTimeMs: number;
  /** `end` in the last report of a process that finished normally. */
  progress: 'continue' | 'end';
}

const MINUS = 45;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

const isSpace = (code: number): boolean => code <= 32;

const keyIs = (text: string, from: number, to: number, key: string): boolean =>
  to - from === key.length && text.startsWith(key, from);

/**
 * The integer written in `text[from, to)`, or null unless it is digits only (with a leading minus
 * when `signed`): what /^\d+$/ and /^-?\d+$/ accept.
 */
function parseInteger(text: string, from: number, to: number, signed: boolean): number | null {
  const negative = signed && from < to && text.charCodeAt(from) === MINUS;
  let i = negative ? from + 1 : from;
  if (i >= to) return null;
  let value = 0;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) return null;
    value = value * 10 + (c - DIGIT_0);
  }
  return negative ? -value : value;
}

export class ProgressParser {
  private partial = '';
  private totalSize = 0;
  private outTimeMs = 0;

  /** Feeds stdout text (chunk boundaries anywhere); calls `report` once per completed report. */
  push(text: string, report: (p: FfmpegProgress) => void): void {
    if (this.partial) {
      text = this.partial + text;
      this.partial = '';
    }
    let start = 0;
    for (let end = text.indexOf('\n', start); end >= 0; end = text.indexOf('\n', start)) {
      this.line(text, start, end, report);
      start = end + 1;
    }
    if (start < text.length) this.partial = text.slice(start);
  }

  /** One line, `text[start, end)`, whitespace around the key and the value ignored. */
  private line(text: string, start: number, end: number, report: (p: FfmpegProgress) => void): void {
    const eq = text.indexOf('=', start);
    if (eq < 0 || eq > end) return;
    let keyStart = start;
    let keyEnd = eq;
    let valueStart = eq + 1;
    let valueEnd = end;
    while (keyStart < keyEnd && isSpace(text.charCodeAt(keyStart))) keyStart++;
    while (keyEnd > keyStart && isSpace(text.charCodeAt(keyEnd - 1))) keyEnd--;
    while (valueStart < valueEnd && isSpace(text.charCodeAt(valueStart))) valueStart++;
    while (valueEnd > valueStart && isSpace(text.charCodeAt(valueEnd - 1))) valueEnd--;
    if (keyIs(text, keyStart, keyEnd, 'total_size')) {
      const v = parseInteger(text, valueStart, valueEnd, false);
      if (v !== null) this.totalSize = v;
    } else if (keyIs(text, keyStart, keyEnd, 'out_time_us')) {
      const v = parseInteger(text, valueStart, valueEnd, true);
      if (v !== null) this.outTimeMs = Math.max(0, v / 1000);
    } else if (keyIs(text, keyStart, keyEnd, 'progress')) {
      const ended = keyIs(text, valueStart, valueEnd, 'end');
      report({ totalSize: this.totalSize, outTimeMs: this.outTimeMs, progress: ended ? 'end' : 'continue' });
    }
  }
}
