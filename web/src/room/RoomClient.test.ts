import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessageView, JoinedMessage } from '@contract/room-protocol';
import { MAX_KEPT_MESSAGES, reconnectDelay, RoomClient } from './RoomClient';
import type { RoomSocketLike } from './RoomClient';
import { defined } from '../lib/test-defined';

class FakeSocket implements RoomSocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: RoomSocketLike['onopen'] = null;
  onmessage: RoomSocketLike['onmessage'] = null;
  onclose: RoomSocketLike['onclose'] = null;
  onerror: RoomSocketLike['onerror'] = null;
  closedWith: number | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close(code = 1005) {
    this.closedWith = code;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  server(msg: object) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop(code: number, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  frames() {
    return this.sent.map((s) => JSON.parse(s) as Record<string, unknown>);
  }
}

const msg = (id: string, text = `hello ${id}`, streamId = 's1'): ChatMessageView => ({
  id,
  streamId,
  author: { id: 'u2', name: 'Viewer' },
  text,
  createdAt: '2026-12-06T21:00:00.000Z',
  offsetMs: 1000,
});

const joined = (over: Partial<JoinedMessage> = {}): JoinedMessage => ({
  type: 'joined',
  creator: { id: 'c1', handle: 'maker', name: 'Maker' },
  live: { streamId: 's1', isLive: true, startedAt: '2026-12-06T21:00:00.000Z' },
  viewers: 3,
  messages: [msg('m1')],
  slowModeSec: 0,
  you: { userId: 'u2', canChat: true, isOwner: false, bannedUntil: null },
  ...over,
});

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('RoomClient', () => {
  let sockets: FakeSocket[];
  let client: RoomClient;
  const socket = (i: number) => defined(sockets[i], `socket ${i}`);
  let token: string | null;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    token = 'tok';
    client = new RoomClient({
      url: 'ws://x/room/maker',
      getToken: async () => token,
      createSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
      random: () => 0.5,
    });
  });
  afterEach(() => vi.useRealTimers());

  async function join(s: FakeSocket, j = joined()) {
    s.open();
    await flush();
    s.server(j);
  }

  it('joins with the token in the first frame, then shows the room', async () => {
    client.start();
    expect(client.getSnapshot().status).toBe('connecting');
    await join(socket(0));
    expect(socket(0).frames()[0]).toEqual({ type: 'join', token: 'tok' });
    expect(client.getSnapshot()).toMatchObject({ status: 'joined', viewers: 3, slowModeSec: 0 });
    expect(client.getSnapshot().messages.map((m) => m.id)).toEqual(['m1']);
  });

  it('joins anonymously without a token', async () => {
    token = null;
    client.start();
    await join(socket(0));
    expect(socket(0).frames()[0]).toEqual({ type: 'join' });
  });

  it('appends messages (once each), drops deleted ones, follows the count, keeps the newest 200', async () => {
    const seen: number[] = [];
    client.subscribe(() => seen.push(client.getSnapshot().messages.length));
    client.start();
    await join(socket(0));
    const s = socket(0);
    s.server({ type: 'chat', message: msg('m2') });
    s.server({ type: 'chat', message: msg('m2') });
    expect(client.getSnapshot().messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    s.server({ type: 'deleted', messageId: 'm1' });
    expect(client.getSnapshot().messages.map((m) => m.id)).toEqual(['m2']);
    s.server({ type: 'viewers', count: 7 });
    expect(client.getSnapshot().viewers).toBe(7);
    // Another broadcast's message (a stale frame) is not shown.
    s.server({ type: 'chat', message: msg('old', 'x', 's0') });
    expect(client.getSnapshot().messages).toHaveLength(1);
    for (let i = 0; i < MAX_KEPT_MESSAGES + 10; i++) s.server({ type: 'chat', message: msg(`n${i}`) });
    const kept = client.getSnapshot().messages;
    expect(kept).toHaveLength(MAX_KEPT_MESSAGES);
    expect(kept.at(-1)?.id).toBe(`n${MAX_KEPT_MESSAGES + 9}`);
    expect(seen.length).toBeGreaterThan(0);
    // Unknown and malformed frames are ignored.
    s.onmessage?.({ data: '{"type":"nope"}' });
    s.onmessage?.({ data: 'not json' });
    expect(client.getSnapshot().messages).toHaveLength(MAX_KEPT_MESSAGES);
  });

  it('a new broadcast starts a fresh chat', async () => {
    client.start();
    await join(socket(0));
    socket(0).server({ type: 'live', live: { streamId: 's2', isLive: true, startedAt: null } });
    expect(client.getSnapshot().messages).toEqual([]);
    expect(client.getSnapshot().live?.streamId).toBe('s2');
  });

  it('sends chat, delete, ban and slow mode as frames with refs; not before the join', async () => {
    client.start();
    expect(client.sendChat('early')).toBe(false);
    await join(socket(0));
    expect(client.sendChat('hi')).toBe(true);
    expect(client.deleteMessage('m1')).toBe(true);
    expect(client.ban('u3')).toBe(true);
    expect(client.ban('u3', 10)).toBe(true);
    expect(client.setSlowMode(5)).toBe(true);
    const f = socket(0).frames().slice(1);
    expect(f.map((x) => x.type)).toEqual(['chat', 'delete', 'ban', 'ban', 'slow-mode']);
    expect(f[0]).toMatchObject({ text: 'hi', ref: expect.any(String) });
    expect(f[2]).toMatchObject({ userId: 'u3', minutes: null });
    expect(f[3]).toMatchObject({ userId: 'u3', minutes: 10 });
  });

  it('shows refusals and bans as a notice, a new one each time', async () => {
    client.start();
    await join(socket(0));
    const s = socket(0);
    s.server({ type: 'refused', reason: 'rate-limited', message: 'Too fast', retryAfterMs: 1500 });
    const first = client.getSnapshot().notice!;
    expect(first).toMatchObject({ reason: 'rate-limited', message: 'Too fast (try again in 2 s)' });
    s.server({ type: 'refused', reason: 'rate-limited', message: 'Too fast', retryAfterMs: 1500 });
    expect(client.getSnapshot().notice!.seq).toBeGreaterThan(first.seq);
    s.server({ type: 'banned', until: 'forever' });
    expect(client.getSnapshot().notice).toMatchObject({
      reason: 'banned',
      message: 'You are banned from this chat for good',
    });
    expect(client.getSnapshot().you?.bannedUntil).toBe('forever');
    client.clearNotice();
    expect(client.getSnapshot().notice).toBeNull();
  });

  it('reconnects with backoff after a drop, and joins again with the fresh state', async () => {
    client.start();
    await join(socket(0));
    socket(0).drop(1006);
    expect(client.getSnapshot()).toMatchObject({ status: 'reconnecting', attempt: 1 });
    await vi.advanceTimersByTimeAsync(reconnectDelay(1, () => 0.5) - 1);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(2);
    // The second try fails before opening: the wait doubles.
    socket(1).drop(1006);
    expect(client.getSnapshot().attempt).toBe(2);
    await vi.advanceTimersByTimeAsync(reconnectDelay(2, () => 0.5) - 1);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);
    await join(socket(2), joined({ viewers: 9, messages: [msg('m5')] }));
    expect(client.getSnapshot()).toMatchObject({ status: 'joined', attempt: 0, viewers: 9 });
    expect(client.getSnapshot().messages.map((m) => m.id)).toEqual(['m5']);
  });

  it('gives up on an unknown room, and stop() closes without reconnecting', async () => {
    client.start();
    socket(0).drop(4044, 'no creator has this handle');
    expect(client.getSnapshot()).toMatchObject({ status: 'closed', error: 'no creator has this handle' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);

    const other = new RoomClient({
      url: 'ws://x/room/maker',
      getToken: async () => null,
      createSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
    });
    other.start();
    await join(socket(1));
    other.stop();
    expect(socket(1).closedWith).toBe(1000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(2);
    // start() again (React's StrictMode does stop → start) opens a new socket.
    other.start();
    expect(sockets).toHaveLength(3);
  });

  it('backoff: 0.5 s doubling to 15 s, with jitter', () => {
    expect(reconnectDelay(1, () => 0.5)).toBe(500);
    expect(reconnectDelay(2, () => 0.5)).toBe(1000);
    expect(reconnectDelay(10, () => 0.5)).toBe(15_000);
    expect(reconnectDelay(1, () => 0)).toBe(400);
    expect(reconnectDelay(1, () => 1)).toBe(600);
  });
});
