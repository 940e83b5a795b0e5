import { cspDirectives, socketOriginFor } from './content-security-policy';

describe('content security policy', () => {
  it('derives the page’s own socket origin from its protocol and host', () => {
    expect(socketOriginFor('http', 'LAN-Box.local:3000')).toBe('ws://lan-box.local:3000');
    expect(socketOriginFor('https', 'vybzz.example')).toBe('wss://vybzz.example');
    expect(socketOriginFor('http', '192.168.1.20:3000')).toBe('ws://192.168.1.20:3000');
    expect(socketOriginFor('http', '[::1]:3000')).toBe('ws://[::1]:3000');
  });

  it.each([
    undefined,
    '',
    'a b',
    "x; script-src 'unsafe-inline'",
    'x,y',
    'evil/path',
    '*',
    `${'a'.repeat(300)}.example`,
  ])('echoes no host it cannot vouch for: %s', (host) => {
    expect(socketOriginFor('http', host)).toBeNull();
  });

  it('upgrades insecure requests only when asked, and never opens sockets to any host', () => {
    const socketOrigin = () => 'ws://h';
    expect(
      cspDirectives({ upgradeInsecureRequests: false, socketOrigin })['upgrade-insecure-requests'],
    ).toBeNull();
    expect(
      cspDirectives({ upgradeInsecureRequests: true, socketOrigin })['upgrade-insecure-requests'],
    ).toEqual([]);
    const connect = cspDirectives({ upgradeInsecureRequests: false, socketOrigin })['connect-src']!;
    expect(connect).toContain(socketOrigin);
    expect(connect.filter((s) => typeof s === 'string' && /^(wss?:|\*)/.test(s))).toEqual([]);
  });
});
