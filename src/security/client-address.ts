/**
 * The client's address of an upgrade request, the way Express's `req.ip` finds it for HTTP: walk
 * X-Forwarded-For from the nearest hop while the hop is a trusted proxy (TRUST_PROXY). The WebSocket
 * limits (unauthenticated sockets, failed sign-ins per address) count this address, so behind the
 * TLS proxy production needs, every client is not one address (the proxy's).
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export type TrustProxy = boolean | number | string[];
type Trust = (address: string, hop: number) => boolean;

const NAMED: Record<string, string[]> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** `::ffff:1.2.3.4` → `1.2.3.4`. */
function plain(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

export function trustFunction(trust: TrustProxy): Trust {
  if (typeof trust === 'boolean') return () => trust;
  if (typeof trust === 'number') return (_a, hop) => hop < trust;
  const list = new BlockList();
  for (const item of trust.flatMap((t) => NAMED[t.toLowerCase()] ?? [t])) {
    const [net, bits] = item.split('/');
    const type = isIPv6(net!) ? 'ipv6' : 'ipv4';
    if (bits !== undefined) list.addSubnet(net!, Number(bits), type);
    else list.addAddress(net!, type);
  }
  return (address) => {
    const a = plain(address);
    if (isIPv4(a)) return list.check(a, 'ipv4');
    return isIPv6(a) && list.check(a, 'ipv6');
  };
}

export function clientAddress(req: IncomingMessage, trust: Trust): string {
  const remote = req.socket.remoteAddress;
  if (!remote) return 'unknown';
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .reverse();
  const hops = [remote, ...forwarded];
  for (let i = 0; i < hops.length - 1; i++) if (!trust(hops[i]!, i)) return plain(hops[i]!);
  return plain(hops[hops.length - 1]!);
}
