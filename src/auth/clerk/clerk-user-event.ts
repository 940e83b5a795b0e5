/**
 * Clerk user webhooks (`{type, data, object: 'event', timestamp, instance_id}`) and what they mean for
 * our User rows. Pure: unit-tested beside this file.
 */
import { scrubText } from '../../common/safe-text';

export type ClerkAction =
  | { kind: 'update'; externalId: string; displayName: string }
  | { kind: 'delete'; externalId: string }
  | { kind: 'ignore'; reason: string };

const MAX_NAME = 100;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const text = (v: unknown): string =>
  typeof v === 'string' ? scrubText(v, 'name').trim().replace(/\s+/g, ' ') : '';

/** "First Last", else the username; null when Clerk knows neither. */
export function clerkDisplayName(data: Record<string, unknown>): string | null {
  const name = [text(data.first_name), text(data.last_name)].filter(Boolean).join(' ') || text(data.username);
  return name ? name.slice(0, MAX_NAME) : null;
}

export function planClerkEvent(payload: unknown): ClerkAction {
  if (!isRecord(payload) || !isRecord(payload.data)) return { kind: 'ignore', reason: 'not a Clerk event' };
  const { type, data } = payload;
  const externalId = typeof data.id === 'string' && data.id ? data.id : null;
  switch (type) {
    case 'user.updated': {
      if (!externalId) return { kind: 'ignore', reason: 'user.updated without data.id' };
      const displayName = clerkDisplayName(data);
      if (!displayName) return { kind: 'ignore', reason: `user ${externalId} has no name` };
      return { kind: 'update', externalId, displayName };
    }
    case 'user.deleted':
      if (!externalId) return { kind: 'ignore', reason: 'user.deleted without data.id' };
      return { kind: 'delete', externalId };
    default:
      return { kind: 'ignore', reason: `event type ${String(type)} is not used` };
  }
}
