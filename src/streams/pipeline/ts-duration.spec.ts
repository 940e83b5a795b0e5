import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partSeconds, videoSpan } from './ts-duration';

describe('videoSpan / partSeconds', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vybzz-ts-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([2.5, 1.37])('reads %s s of H.264 + AAC', (seconds) => {
    const file = join(dir, `t-${seconds}.ts`);
    // prettier-ignore
    execFileSync('ffmpeg', [
      '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=30',
      '-f', 'lavfi', '-i', 'sine=sample_rate=48000', '-t', String(seconds),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-f', 'mpegts', file,
    ]);
    const span = videoSpan(readFileSync(file))!;
    expect(Math.abs(partSeconds(span, span) - seconds)).toBeLessThan(0.04);
  });

  it('gives null for bytes without video timestamps', () => {
    expect(videoSpan(Buffer.alloc(188 * 4))).toBeNull();
    expect(videoSpan(Buffer.from('not a transport stream'))).toBeNull();
  });
});
