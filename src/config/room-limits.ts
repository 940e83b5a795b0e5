/** Settings of the live room (issue 11): chat limits and the watch socket's bounds. Parsed by app-config. */

export interface RoomLimits {
  /** Watch sockets from one address that are not signed in (anonymous viewers); more close with 4029. */
  anonymousSocketsPerIp: number;
  /** Chat messages one user may send in a burst… */
  chatBurst: number;
  /** …and then this many per second. */
  chatPerSecond: number;
  /** Frames per second one watch socket may send (averaged over 2 s); more close with 4029. */
  maxMessagesPerSecond: number;
  /** Viewer counts older than this (ms) are dropped: an instance that stopped heartbeating. */
  viewerCountStaleMs: number;
}

interface EnvReader {
  int(name: string, fallback: number, min: number, max: number): number;
}

export function parseRoomLimits(r: EnvReader): RoomLimits {
  return {
    anonymousSocketsPerIp: r.int('ROOM_ANONYMOUS_SOCKETS_PER_IP', 50, 1, 1_000_000),
    chatBurst: r.int('CHAT_BURST', 3, 1, 1_000),
    chatPerSecond: r.int('CHAT_MESSAGES_PER_SECOND', 1, 1, 1_000),
    maxMessagesPerSecond: r.int('ROOM_MAX_MESSAGES_PER_SECOND', 10, 2, 10_000),
    viewerCountStaleMs: r.int('VIEWER_COUNT_STALE_MS', 3_000, 1_500, 60_000),
  };
}
