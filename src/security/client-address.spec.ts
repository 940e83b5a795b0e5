import type { IncomingMessage } from 'node:http';
import { clientAddress, trustFunction } from './client-address';

const req = (remote: string, xff?: string) =>
  ({ socket: { remoteAddress: remote }, headers: xff ? { 'x-forwarded-for': xff } : {} }) as IncomingMessage;

describe('clientAddress (what Express calls req.ip, for upgrade requests)', () => {
  it('believes X-Forwarded-For only from trusted proxies, walking from the nearest hop', () => {
    const loopback = trustFunction(['loopback']);
    expect(clientAddress(req('127.0.0.1', '203.0.113.7'), loopback)).toBe('203.0.113.7');
    expect(clientAddress(req('::ffff:127.0.0.1', '198.51.100.1, 203.0.113.7'), loopback)).toBe('203.0.113.7');
    expect(clientAddress(req('203.0.113.9', '10.0.0.1'), loopback)).toBe('203.0.113.9');
    expect(clientAddress(req('127.0.0.1'), loopback)).toBe('127.0.0.1');
    expect(clientAddress(req('127.0.0.1', '203.0.113.7'), trustFunction(false))).toBe('127.0.0.1');
    expect(clientAddress(req('10.1.2.3', 'a, 198.51.100.4, 10.9.9.9'), trustFunction(2))).toBe(
      '198.51.100.4',
    );
    expect(clientAddress(req('10.1.2.3', '198.51.100.4'), trustFunction(['10.0.0.0/8']))).toBe(
      '198.51.100.4',
    );
  });
});
