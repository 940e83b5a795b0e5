/** A real `ws` client of the live room (`WS /room/:handle`), for e2e tests and the chat bench. */
import WebSocket from 'ws';
import {
  type JoinedMessage,
  parseRoomServerMessage,
  type RefusedEvent,
  type RoomClientMessage,
  type RoomServerMessage,
  type SentEvent,
} from '../../src/contract/room-protocol';

export interface Closed {
  code: number;
  reason: string;
}

let refs = 0;

export class RoomClient {
  readonly received: RoomServerMessage[] = [];
  readonly closed: Promise<Closed>;
  closedWith: Closed | null = null;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => {
        this.closedWith = { code, reason: reason.toString() };
        resolve(this.closedWith);
        this.wake();
      }),
    );
    ws.on('error', () => undefined);
    ws.on('message', (data) => {
      const m = parseRoomServerMessage((data as Buffer).toString());
      if (m) this.received.push(m);
      this.wake();
    });
  }

  /** Opens the socket (no join sent). */
  static open(wsUrl: string, handle: string, headers: Record<string, string> = {}): Promise<RoomClient> {
    const ws = new WebSocket(`${wsUrl}/room/${handle}`, { headers });
    const c = new RoomClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Opens and joins (with a token: signed in); resolves with the `joined` answer. */
  static async join(
    wsUrl: string,
    handle: string,
    token?: string,
  ): Promise<RoomClient & { joined: JoinedMessage }> {
    const c = await RoomClient.open(wsUrl, handle);
    c.send({ type: 'join', ...(token ? { token } : {}) });
    const joined = (await c.waitFor((m) => m.type === 'joined')) as JoinedMessage;
    return Object.assign(c, { joined });
  }

  send(m: RoomClientMessage | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(m));
  }

  /** Sends a chat line and resolves with the server's answer to it (`sent` or `refused`). */
  async chat(text: string): Promise<SentEvent | RefusedEvent> {
    return this.request({ type: 'chat', text });
  }

  /** Sends a request with a fresh ref and resolves with the `sent`/`refused` that echoes it. */
  async request(m: Record<string, unknown>, timeoutMs = 5_000): Promise<SentEvent | RefusedEvent> {
    const ref = `r${++refs}`;
    const from = this.received.length;
    this.send({ ...m, ref });
    return (await this.waitFor(
      (x) => (x.type === 'sent' || x.type === 'refused') && x.ref === ref,
      timeoutMs,
      from,
    )) as SentEvent | RefusedEvent;
  }

  /** The first message (from index `from` on) that matches; rejects on timeout or close. */
  async waitFor(
    pred: (m: RoomServerMessage) => boolean,
    timeoutMs = 5_000,
    from = 0,
  ): Promise<RoomServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.received.slice(from).find(pred);
      if (hit) return hit;
      if (this.ws.readyState === WebSocket.CLOSED)
        throw new Error(`the room socket closed: ${JSON.stringify(this.closedWith)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching room message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The newest viewer count this client was told (joined or viewers). */
  get viewers(): number | null {
    for (const m of [...this.received].reverse()) {
      if (m.type === 'viewers') return m.count;
      if (m.type === 'joined') return m.viewers;
    }
    return null;
  }

  close(): void {
    this.ws.close(1000);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
