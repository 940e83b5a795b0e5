import { buildFfmpegArgs, maskStreamKey } from './ffmpeg-args';
import { RestreamTracker } from './restream-tracker';
import {
  flvSlave,
  type RestreamSlave,
  restreamSlaveUrl,
  teeArgs,
  teeEscape,
  TeeSyntaxError,
} from './tee-output';

const slave = (id: string, url: string, secret: string | null = null): RestreamSlave => ({
  id,
  name: id.toUpperCase(),
  url,
  secret,
  caFile: '/etc/ca.pem',
});

describe('tee output', () => {
  it('puts the HLS recording first and each target behind onfail=ignore; rtmps verifies TLS', () => {
    const args = buildFfmpegArgs(
      { video: 'h264', audio: 'opus' },
      {
        kind: 'hls',
        dir: '/data/live/x',
        restream: [slave('a', 'rtmp://h/app/k1'), slave('b', 'rtmps://h:443/app/k2')],
      },
    );
    const spec = args[args.indexOf('tee') + 1] ?? '';
    const [first, a, b] = spec.split('|');
    expect(first).toBe(
      '[f=hls:hls_time=2:hls_playlist_type=event:hls_flags=append_list+omit_endlist+independent_segments+temp_file:hls_segment_filename=/data/live/x/seg-%05d.ts]/data/live/x/index.m3u8',
    );
    expect(a).toMatch(/^\[f=flv:onfail=ignore:.*\]rtmp:\/\/h\/app\/k1$/);
    expect(a).not.toContain('tls_verify');
    expect(b).toMatch(/^\[f=flv:onfail=ignore:.*:tls_verify=1:ca_file=\/etc\/ca\.pem\]rtmps:/);
    expect(args).toEqual(expect.arrayContaining(['-map', '0:v:0', '0:a:0']));
  });

  it('without targets the output stays plain HLS', () => {
    const args = buildFfmpegArgs({ video: 'h264', audio: null }, { kind: 'hls', dir: '/d', restream: [] });
    expect(args).not.toContain('tee');
    expect(args).toEqual(expect.arrayContaining(['-f', 'hls', '-hls_time', '2', '/d/index.m3u8']));
  });

  it("refuses values that would change the tee's syntax", () => {
    expect(() => teeArgs({ format: 'hls', options: [], path: '/a|b' }, [], 1)).toThrow(TeeSyntaxError);
    expect(() => teeArgs({ format: 'hls', options: [['x', 'a:b']], path: '/a' }, [], 1)).toThrow(
      TeeSyntaxError,
    );
    expect(() => teeArgs({ format: 'hls', options: [], path: '/a' }, [slave('a', "rtmp://h/'")], 1)).toThrow(
      TeeSyntaxError,
    );
  });

  it("escapes a relayed slave's tcUrl for the tee's two unescaping passes", () => {
    expect(teeEscape('rtmp://h:1935/a=b')).toBe('rtmp\\\\\\://h\\\\\\:1935/a\\\\\\=b');
    const spec = flvSlave({ ...slave('a', 'rtmp://127.0.0.1:5/app/PH'), tcUrl: 'rtmps://x:443/app' }, 1);
    expect(spec).toMatch(/:rtmp_tcurl=rtmps\\{3}:\/\/x\\{3}:443\/app\]rtmp:\/\/127\.0\.0\.1:5\/app\/PH$/);
  });

  it('builds target URLs in one place and masks their keys in FFmpeg lines', () => {
    const { url, secret } = restreamSlaveUrl({ url: 'rtmp://h/live2/', streamKey: 'abcd-efgh-ijkl' });
    expect(url).toBe('rtmp://h/live2/abcd-efgh-ijkl');
    const output = { kind: 'hls' as const, dir: '/d', restream: [slave('a', url, secret)] };
    expect(maskStreamKey(`Slave '[f=flv]${url}': error opening`, output, 'KEY')).toBe(
      "Slave '[f=flv]rtmp://h/live2/KEY': error opening",
    );
  });
});

describe('RestreamTracker', () => {
  it('connecting → live on output, failed with the reason the tee gives, again on restart', () => {
    const t = new RestreamTracker([
      slave('a', 'rtmp://a/x'),
      slave('b', 'rtmp://b/x'),
      slave('c', 'rtmp://c/x'),
    ]);
    expect(t.snapshot().map((s) => s.state)).toEqual(['connecting', 'connecting', 'connecting']);
    expect(t.stderr('[tee @ 0x1] Slave muxer #3 failed: Connection ref')).toBe(false); // partial line
    expect(t.stderr('used, continuing with 3/4 slaves.\n')).toBe(true);
    expect(t.outputStarted()).toBe(true);
    expect(t.snapshot()).toEqual([
      { id: 'a', name: 'A', state: 'live', reason: null },
      { id: 'b', name: 'B', state: 'live', reason: null },
      { id: 'c', name: 'C', state: 'failed', reason: 'connection refused' },
    ]);
    expect(t.outputStarted()).toBe(false);
    t.stderr('[tee @ 0x1] Slave muxer #1 failed: Broken pipe, continuing with 2/4 slaves.\n');
    expect(t.snapshot()[0]).toMatchObject({ state: 'failed', reason: 'broken pipe' });
    t.restarted();
    expect(t.snapshot().map((s) => s.state)).toEqual(['connecting', 'connecting', 'connecting']);
  });
});
