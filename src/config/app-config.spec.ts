import { bindNotice, ConfigValidationError, maskSecret, parseConfig } from './app-config';

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env, '/srv');
  } catch (e) {
    if (e instanceof ConfigValidationError) return e.problems;
    throw e;
  }
  return [];
}

describe('parseConfig', () => {
  it('boots with no settings at all: embedded database, local auth, local media', () => {
    const c = parseConfig({}, '/srv');
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe('/srv/.data');
    expect(c.databaseUrl).toBeNull();
    expect(c.auth.mode).toBe('local');
    expect(c.mux).toBeNull();
    expect(c.muxRtmpUrl).toBe('rtmps://global-live.mux.com:443/app');
  });

  it('keeps local sign-in on loopback unless HOST says otherwise; Clerk listens everywhere', () => {
    expect(parseConfig({}).host).toBe('127.0.0.1');
    expect(parseConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    const clerk = { CLERK_SECRET_KEY: 'sk_test_x', CLERK_AUTHORIZED_PARTIES: 'https://a.example' };
    expect(parseConfig(clerk).host).toBe('0.0.0.0');
    expect(parseConfig({ ...clerk, HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });

  it('says in the boot log where local sign-in listens and how to change it', () => {
    expect(bindNotice(parseConfig({}), false)).toMatch(/local sign-in .* 127\.0\.0\.1 only; set HOST/);
    expect(bindNotice(parseConfig({ HOST: '0.0.0.0' }), true)).toMatch(/HOST=0\.0\.0\.0: reachable beyond/);
    expect(bindNotice(parseConfig({ HOST: '::1' }), true)).toMatch(/listening on ::1 \(HOST\)/);
  });

  it('names the variable of a bad value', () => {
    expect(problems({ PORT: 'abc' })).toEqual([expect.stringContaining('PORT')]);
    expect(problems({ PORT: '70000' })).toEqual([expect.stringContaining('PORT')]);
    expect(problems({ DATABASE_URL: 'mysql://x' })).toEqual([expect.stringContaining('DATABASE_URL')]);
    expect(problems({ LOG_LEVEL: 'loud' })).toEqual([expect.stringContaining('LOG_LEVEL')]);
  });

  it('reads the reconnect window: 60 s by default, 0–1800 s (Mux’s range)', () => {
    expect(parseConfig({}).reconnectWindowSec).toBe(60);
    expect(parseConfig({ RECONNECT_WINDOW_SEC: '0' }).reconnectWindowSec).toBe(0);
    expect(problems({ RECONNECT_WINDOW_SEC: '1801' })).toEqual([
      expect.stringContaining('RECONNECT_WINDOW_SEC'),
    ]);
    expect(problems({ RECONNECT_WINDOW_SEC: 'soon' })).toEqual([
      expect.stringContaining('RECONNECT_WINDOW_SEC'),
    ]);
  });

  it('wants the three Mux settings together', () => {
    expect(problems({ MUX_TOKEN_ID: 'id' })[0]).toContain('MUX_TOKEN_SECRET');
    const c = parseConfig({ MUX_TOKEN_ID: 'a', MUX_TOKEN_SECRET: 'b', MUX_WEBHOOK_SIGNING_SECRET: 'c' });
    expect(c.mux).toEqual({ tokenId: 'a', tokenSecret: 'b', webhookSigningSecret: 'c' });
  });

  it('refuses local sign-in in production and Clerk without authorized parties', () => {
    expect(problems({ NODE_ENV: 'production' })[0]).toContain('NODE_ENV=production');
    expect(problems({ CLERK_SECRET_KEY: 'sk_test_x' })[0]).toContain('CLERK_AUTHORIZED_PARTIES');
    expect(problems({ CLERK_JWT_KEY: 'nope', CLERK_AUTHORIZED_PARTIES: 'http://a' })[0]).toContain(
      'CLERK_JWT_KEY',
    );
    const c = parseConfig({
      CLERK_SECRET_KEY: 'sk_test_x',
      CLERK_AUTHORIZED_PARTIES: 'https://a.example, http://localhost:3000',
    });
    expect(c.auth).toMatchObject({
      mode: 'clerk',
      authorizedParties: ['https://a.example', 'http://localhost:3000'],
    });
  });

  it('reads TRUST_PROXY and CSP_UPGRADE_INSECURE_REQUESTS', () => {
    expect(parseConfig({}, '/srv')).toMatchObject({
      trustProxy: ['loopback'],
      cspUpgradeInsecureRequests: 'auto',
    });
    expect(parseConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(parseConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(parseConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
    ]);
    for (const bad of ['true', '0', 'proxy.example', '10.0.0.0/8;x']) {
      expect(problems({ TRUST_PROXY: bad })).toEqual([expect.stringContaining('TRUST_PROXY')]);
    }
    expect(parseConfig({ CSP_UPGRADE_INSECURE_REQUESTS: 'always' }).cspUpgradeInsecureRequests).toBe(
      'always',
    );
    expect(problems({ CSP_UPGRADE_INSECURE_REQUESTS: 'yes' })).toEqual([
      expect.stringContaining('CSP_UPGRADE_INSECURE_REQUESTS'),
    ]);
  });

  it('reads METRICS_TOKEN and API_DOCS (docs off in production by default)', () => {
    expect(parseConfig({}, '/srv')).toMatchObject({ metricsToken: null, apiDocs: true });
    expect(parseConfig({ METRICS_TOKEN: 'x'.repeat(16), API_DOCS: 'off' })).toMatchObject({
      metricsToken: 'x'.repeat(16),
      apiDocs: false,
    });
    expect(problems({ METRICS_TOKEN: 'short' })).toEqual([expect.stringContaining('METRICS_TOKEN')]);
    expect(problems({ API_DOCS: 'yes' })).toEqual([expect.stringContaining('API_DOCS')]);
  });

  it('reads the storage and broadcast limits', () => {
    expect(parseConfig({}, '/srv')).toMatchObject({
      localMinFreeMb: 256,
      localRecordingMaxGb: null,
      maxBroadcastMinutes: null,
    });
    expect(
      parseConfig({ LOCAL_MIN_FREE_MB: '10', LOCAL_RECORDING_MAX_GB: '2.5', MAX_BROADCAST_MINUTES: '240' }),
    ).toMatchObject({ localMinFreeMb: 10, localRecordingMaxGb: 2.5, maxBroadcastMinutes: 240 });
    for (const name of ['LOCAL_RECORDING_MAX_GB', 'MAX_BROADCAST_MINUTES']) {
      expect(problems({ [name]: '-1' })).toEqual([expect.stringContaining(name)]);
      expect(problems({ [name]: 'lots' })).toEqual([expect.stringContaining(name)]);
    }
  });

  it('reads how FFmpeg is scheduled: SCHED_BATCH niced 10 by default, or SCHED_IDLE', () => {
    expect(parseConfig({}, '/srv').ingest).toMatchObject({ ffmpegSched: 'batch', ffmpegNice: 10 });
    expect(parseConfig({ FFMPEG_SCHED: 'idle' }).ingest).toMatchObject({ ffmpegSched: 'idle' });
    expect(parseConfig({ FFMPEG_SCHED: 'batch', FFMPEG_NICE: '19' }).ingest).toMatchObject({
      ffmpegSched: 'batch',
      ffmpegNice: 19,
    });
    expect(problems({ FFMPEG_SCHED: 'realtime' })).toEqual([expect.stringContaining('FFMPEG_SCHED')]);
  });

  it('reads who forks FFmpeg: the session spawner by default, or the app', () => {
    expect(parseConfig({}, '/srv').ingest.ffmpegSpawner).toBe('session');
    expect(parseConfig({ FFMPEG_SPAWNER: 'session' }).ingest.ffmpegSpawner).toBe('session');
    expect(parseConfig({ FFMPEG_SPAWNER: 'direct' }).ingest.ffmpegSpawner).toBe('direct');
    expect(problems({ FFMPEG_SPAWNER: 'fork' })).toEqual([expect.stringContaining('FFMPEG_SPAWNER')]);
  });

  it('masks secrets', () => {
    expect(maskSecret('abcdefghijklmnop')).toBe('abcd…');
    expect(maskSecret('short')).toBe('***');
  });
});
