/** The chat replay of a VOD post: every message of its broadcast, shown up to the player's time. */
import { createHttpClient, unwrap } from '../api';
import type { components } from '../generated/openapi';

export type ReplayMessage = components['schemas']['ChatMessageDto'];
type ReplayPage = components['schemas']['ChatPageDto'];

/** The replay is public: no session. */
const http = createHttpClient();

/** Pages fetched at most (200 messages each): a longer chat is cut at 10,000 messages. */
const MAX_PAGES = 50;

/** GET /streams/:id/chat, every page, in the order of the broadcast (deleted messages are left out). */
export async function fetchChatReplay(streamId: string, signal?: AbortSignal): Promise<ReplayMessage[]> {
  const all: ReplayMessage[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page: ReplayPage = await unwrap(
      http.GET('/streams/{id}/chat', {
        params: { path: { id: streamId }, query: { limit: 200, ...(cursor ? { cursor } : {}) } },
        signal,
      }),
    );
    all.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return all;
}

/** The messages at or before `ms` into the recording (`sorted` by offset, as the API serves them). */
export function replayedUpTo<T extends { offsetMs: number }>(sorted: readonly T[], ms: number): T[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.offsetMs <= ms) lo = mid + 1;
    else hi = mid;
  }
  return sorted.slice(0, lo);
}

/** 65_000 → "1:05"; 3_725_000 → "1:02:05". */
export function formatOffset(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
