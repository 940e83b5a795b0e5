import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { SCHED_BATCH_LAUNCHER, batchLauncherFor, launchCommand } from './ffmpeg-launcher';
import { FfmpegProcess } from './ffmpeg-process';

/** Scheduling policy of a live process (/proc/<pid>/stat field 41): 0 normal, 3 batch. */
const policyOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[41 - 3]);
};

const hasChrt = ((): boolean => {
  try {
    execFileSync('chrt', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('FFmpeg launcher', () => {
  it('puts the launcher in front of the command', () => {
    expect(launchCommand('ffmpeg', ['-i', 'pipe:0'])).toEqual({ command: 'ffmpeg', args: ['-i', 'pipe:0'] });
    expect(launchCommand('/usr/bin/ffmpeg', ['-i', 'pipe:0'], SCHED_BATCH_LAUNCHER)).toEqual({
      command: 'chrt',
      args: ['--batch', '0', '/usr/bin/ffmpeg', '-i', 'pipe:0'],
    });
  });

  it('offers no launcher for an FFmpeg that cannot start, so its spawn error surfaces as before', async () => {
    expect(await batchLauncherFor('/nonexistent/ffmpeg')).toEqual([]);
  });

  it('runs FFmpeg under SCHED_BATCH where chrt works, with the stdio and pid of FFmpeg itself', async () => {
    const launcher = await batchLauncherFor('ffmpeg');
    if (!hasChrt) return expect(launcher).toEqual([]);
    expect(launcher).toEqual(SCHED_BATCH_LAUNCHER);
    const p = new FfmpegProcess(
      'ffmpeg',
      ['-hide_banner', '-f', 'matroska', '-i', 'pipe:0', '-f', 'null', '-'],
      undefined,
      launcher,
    );
    try {
      await new Promise((r) => setTimeout(r, 300)); // chrt has exec'd FFmpeg by now
      expect(readFileSync(`/proc/${p.pid}/comm`, 'utf8').trim()).toBe('ffmpeg');
      expect(policyOf(p.pid!)).toBe(3);
    } finally {
      p.endInput();
      await p.waitForExit();
    }
  });
});
