import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CARRY_MAX_MS, IngestClient } from './IngestClient';
import type { RecorderLike, RecorderOptions, SocketLike } from './types';
import { defined } from '../lib/test-defined';

class FakeSocket implements SocketLike {
  readyState = 0;
  binaryType = 'blob';
  bufferedAmount = 0;
  sent: (string | ArrayBuffer)[] = [];
  closedWith: number | null = null;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string | ArrayBuffer) {
    this.sent.push(data);
  }
  close(code = 1005) {
    this.closedWith = code;
    this.serverClose(code, '');
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  server(msg: object) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  serverClose(code: number, reason: string) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

class FakeRecorder implements RecorderLike {
  state: RecorderLike['state'] = 'inactive';
  ondataavailable: RecorderLike['ondataavailable'] = null;
  onstop: RecorderLike['onstop'] = null;
  onerror: RecorderLike['onerror'] = null;
  constructor(readonly options: RecorderOptions) {}
  start() {
    this.state = 'recording';
  }
  chunk(bytes: number) {
    this.ondataavailable?.({ data: new Blob([new Uint8Array(bytes)]) });
  }
  stop() {
    this.state = 'inactive';
    this.chunk(7); // the last chunk
    this.onstop?.({});
  }
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('IngestClient', () => {
  let sockets: FakeSocket[];
  let recorders: FakeRecorder[];
  let client: IngestClient;
  const socket = (i: number) => defined(sockets[i], `socket ${i}`);
  const recorder = (i: number) => defined(recorders[i], `recorder ${i}`);

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    recorders = [];
    client = new IngestClient({
      url: 'ws://x/stream/live/key',
      mimeType: 'video/webm;codecs=h264,opus',
      media: {} as MediaStream,
      getToken: async () => 'tok',
      createSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
      createRecorder: (_m, options) => {
        const r = new FakeRecorder(options);
        recorders.push(r);
        return r;
      },
      random: () => 0.5,
    });
  });
  afterEach(() => vi.useRealTimers());

  async function connectReady(socket: FakeSocket) {
    socket.open();
    await flush();
    socket.server({ type: 'ready', streamId: 's1', video: 'copy' });
  }

  it('sends hello first, starts recording only after ready, then sends chunks as binary', async () => {
    client.start();
    socket(0).open();
    await flush();
    expect(JSON.parse(socket(0).sent[0] as string)).toEqual({
      type: 'hello',
      token: 'tok',
      mimeType: 'video/webm;codecs=h264,opus',
    });
    expect(recorders).toHaveLength(0);
    socket(0).server({ type: 'ready', streamId: 's1', video: 'copy' });
    expect(recorder(0).options.videoKeyFrameIntervalDuration).toBe(2000);
    recorder(0).chunk(100);
    await flush();
    expect(socket(0).sent[1]).toBeInstanceOf(ArrayBuffer);
    expect(client.getState()).toMatchObject({ phase: 'streaming', bytesSent: 100 });
    socket(0).server({ type: 'status', stream: { status: 'ACTIVE', isLive: true } });
    expect(client.getState().stream?.isLive).toBe(true);
  });

  it('reconnects after an abnormal close with a new recorder', async () => {
    client.start();
    await connectReady(socket(0));
    socket(0).serverClose(1006, '');
    expect(client.getState()).toMatchObject({ phase: 'reconnecting', attempt: 1 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets).toHaveLength(2);
    await connectReady(socket(1));
    expect(recorders).toHaveLength(2);
    expect(recorder(0).state).toBe('inactive');
    expect(client.getState().phase).toBe('streaming');
  });

  it('does not reconnect when another tab is publishing (4009)', async () => {
    client.start();
    socket(0).open();
    await flush();
    socket(0).serverClose(4009, 'already publishing');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
    expect(client.getState()).toMatchObject({
      phase: 'failed',
      error: expect.stringMatching(/another tab or device/i),
    });
  });

  it('Stop sends the last chunk, then closes with 1000', async () => {
    client.start();
    await connectReady(socket(0));
    client.stop();
    await flush();
    const last = socket(0).sent.at(-1) as ArrayBuffer;
    expect(last.byteLength).toBe(7);
    expect(socket(0).closedWith).toBe(1000);
    expect(client.getState().phase).toBe('stopped');
  });

  it('steps the recorder down when the acks show the uplink cannot carry it', async () => {
    client.start();
    await connectReady(socket(0));
    for (let i = 1; i <= 20; i++) {
      recorder(0).chunk(20_000);
      await vi.advanceTimersByTimeAsync(100);
      socket(0).server({ type: 'status', ack: { bytes: 2000 * i, mediaMs: 100 * i, segment: 1 } });
    }
    await vi.advanceTimersByTimeAsync(500);
    expect(recorders.length).toBeGreaterThan(1);
    expect(recorders.at(-1)!.options.videoBitsPerSecond).toBeLessThan(2_500_000);
    expect(client.getState().uplink).toMatchObject({ weak: true, throughputKbps: expect.any(Number) });
    expect(sockets).toHaveLength(1); // the same socket: a new WebM header on it
  });

  it('keeps recording while it reconnects and sends that media first on the new socket', async () => {
    client.start();
    await connectReady(socket(0));
    recorder(0).chunk(100);
    await flush();
    socket(0).serverClose(1006, '');
    await flush();
    // A fresh recorder starts the moment the drop is seen, before any new socket exists.
    expect(recorders).toHaveLength(2);
    expect(recorder(0).state).toBe('inactive');
    recorder(1).chunk(300); // its header and first media, recorded while reconnecting
    recorder(1).chunk(200);
    await flush();
    expect(sockets).toHaveLength(2);
    socket(1).open();
    await flush();
    expect(socket(1).sent).toHaveLength(1); // the hello only: nothing before `ready`
    socket(1).server({ type: 'ready', streamId: 's1', video: 'copy' });
    await flush();
    expect(recorders).toHaveLength(2); // no third recorder: the carried one continues
    const media = socket(1)
      .sent.slice(1)
      .map((d) => (d as ArrayBuffer).byteLength);
    expect(media).toEqual([300, 200]);
    expect(client.getState()).toMatchObject({ phase: 'streaming', attempt: 0 });
  });

  it('keeps at most CARRY_MAX_MS of media while reconnecting, then records afresh on ready', async () => {
    client.start();
    await connectReady(socket(0));
    socket(0).serverClose(1006, '');
    await flush();
    socket(1).serverClose(1006, ''); // the server is still unreachable: backoff
    await flush();
    expect(client.getState().phase).toBe('reconnecting');
    const carried = recorders.at(-1)!;
    for (let t = 0; t <= CARRY_MAX_MS + 500; t += 100) {
      carried.chunk(1000);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(carried.state).toBe('inactive');
    const count = recorders.length;
    await vi.advanceTimersByTimeAsync(2000);
    await connectReady(sockets.at(-1)!);
    await flush();
    expect(recorders).toHaveLength(count + 1);
    expect(sockets.at(-1)!.sent).toHaveLength(1); // nothing stale was sent
  });

  it('reconnects a dropped socket at once', async () => {
    client.start();
    await connectReady(socket(0));
    socket(0).serverClose(1006, '');
    await vi.advanceTimersByTimeAsync(300);
    expect(sockets).toHaveLength(2);
  });
});
