/** Small tools of the shaped-uplink harness (uplink-netns.ts): shell calls, namespace cleanup, addresses, TCP forwarding. */
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { defined } from './indexing';

export const sh = (args: string[]): string =>
  execFileSync(defined(args[0], 'a command to run'), args.slice(1), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10_000,
  });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes namespaces this harness made in processes that are gone (a crashed test run). */
export function removeStale(prefix: string): void {
  for (const line of sh(['ip', 'netns', 'list']).split('\n')) {
    const m = new RegExp(`^(${prefix}-(\\d+)-\\d+)\\b`).exec(line.trim());
    if (m && Number(m[2]) !== process.pid && !alive(Number(m[2]))) {
      try {
        sh(['ip', 'netns', 'del', defined(m[1], 'a namespace name')]);
      } catch {
        /* raced with another cleaner */
      }
    }
  }
}

/** A free /30 in 10.213.0.0/16 that no interface of this machine uses. */
export function pickSubnet(): { hostIp: string; nsIp: string } {
  const used = sh(['ip', '-o', '-4', 'addr', 'show']);
  for (let i = 0; i < 100; i++) {
    const c = Math.floor(Math.random() * 256);
    const d = Math.floor(Math.random() * 64) * 4;
    const hostIp = `10.213.${c}.${d + 1}`;
    const nsIp = `10.213.${c}.${d + 2}`;
    if (!used.includes(`10.213.${c}.${d + 1}/`) && !used.includes(`10.213.${c}.${d + 2}/`)) {
      return { hostIp, nsIp };
    }
  }
  throw new Error('no free 10.213.x.y/30 subnet for the shaped uplink');
}

/** Listens on `host:listenPort` (0: any) and pipes each connection to `targetHost:port`. */
export function listenForwarder(
  host: string,
  targetHost: string,
  port: number,
  listenPort = 0,
): Promise<net.Server> {
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, targetHost);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.setNoDelay(true);
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  // close() also ends the connections still open (a browser's keep-alive sockets).
  const close = server.close.bind(server);
  server.close = (cb?: (err?: Error) => void) => {
    for (const s of open) s.destroy();
    return close(cb);
  };
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, host, () => resolve(server));
  });
}
