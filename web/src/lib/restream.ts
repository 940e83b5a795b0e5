/**
 * Restream targets in the SPA (issue 12): the form's checks (the server's rules, so a mistake is shown
 * before a round trip) and the lines the Go Live dialog shows for each target's state.
 */
import type { RestreamTargetStatus } from '@contract/ingest-protocol';

export const MAX_TARGETS = 5;
export const NAME_MAX = 60;

/** The server's pattern: rtmp(s)://host[:port][/path], without credentials, query or spaces. */
const URL_PATTERN = /^rtmps?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~%!$&()*+,;=:@/-]*)?$/;
const KEY_PATTERN = /^[\x21-\x26\x28-\x5a\x5e-\x7b\x7d\x7e]+$/;

export type TargetField = 'name' | 'url' | 'streamKey';
export interface TargetInput {
  name: string;
  url: string;
  streamKey: string;
}

export function validateTarget(t: TargetInput): Partial<Record<TargetField, string>> {
  const errors: Partial<Record<TargetField, string>> = {};
  const name = t.name.trim();
  if (!name) errors.name = 'Enter a name, e.g. YouTube.';
  else if (name.length > NAME_MAX) errors.name = `A name has at most ${NAME_MAX} characters.`;
  const url = t.url.trim();
  if (!url) errors.url = 'Enter the RTMP URL the service gives you.';
  else if (!URL_PATTERN.test(url))
    errors.url =
      'Use an rtmp:// or rtmps:// address, without the stream key (e.g. rtmp://a.rtmp.youtube.com/live2).';
  const key = t.streamKey.trim();
  if (key.length < 4) errors.streamKey = 'Enter the stream key (at least 4 characters).';
  else if (!KEY_PATTERN.test(key) || key.length > 500)
    errors.streamKey = 'A stream key is printable characters without spaces.';
  return errors;
}

const STATE_WORDS: Record<RestreamTargetStatus['state'], string> = {
  connecting: 'connecting…',
  live: 'live',
  failed: 'failed',
};

/** "YouTube: live", "Twitch: failed — connection refused". */
export function restreamLine(s: Pick<RestreamTargetStatus, 'name' | 'state' | 'reason'>): string {
  const words = STATE_WORDS[s.state] ?? s.state;
  return `${s.name}: ${words}${s.state === 'failed' && s.reason ? ` — ${s.reason}` : ''}`;
}

/** A key shown only as its last characters. */
export const maskedKey = (hint: string) => `••••${hint}`;
