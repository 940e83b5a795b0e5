/** Raw HTTP over TCP, for requests no well-behaved client would send (bad paths, half-sent upgrades). */
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  /** e.g. `HTTP/1.1 400 Bad Request`, or '' when the server closed without answering. */
  statusLine: string;
  status: number | null;
  /** How long the server took to answer or close. */
  ms: number;
}

/** Opens a TCP connection to `url`'s host and port; resolves once connected. */
export function openRaw(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname, () => resolve(s));
    s.once('error', reject);
  });
}

/** Waits for the first line the server sends on `socket`, or for it to close. */
export function readStatus(socket: Socket, timeoutMs = 10_000): Promise<RawResponse> {
  const started = Date.now();
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const statusLine = text.split('\r\n')[0] ?? '';
      const m = /^HTTP\/1\.1 (\d{3})/.exec(statusLine);
      resolve({ statusLine, status: m ? Number(m[1]) : null, ms: Date.now() - started });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (b: Buffer) => {
      text += b.toString('latin1');
      if (text.includes('\r\n')) done();
    });
    socket.on('close', done);
    socket.on('error', () => undefined);
  });
}

export function upgradeRequest(path: string, extra: Record<string, string> = {}): string {
  const headers = {
    Host: 'localhost',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version': '13',
    ...extra,
  };
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `GET ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** Sends a WebSocket upgrade request for `path` (written as is, not encoded) and reads the answer. */
export async function rawUpgrade(
  url: string,
  path: string,
  extra: Record<string, string> = {},
): Promise<RawResponse> {
  const s = await openRaw(url);
  s.write(upgradeRequest(path, extra));
  return readStatus(s);
}
