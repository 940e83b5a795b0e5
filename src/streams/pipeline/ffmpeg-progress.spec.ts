import { type FfmpegProgress, ProgressParser } from './ffmpeg-progress';

/** Two reports as FFmpeg 5.1 writes them with `-progress pipe:1`. */
const OUTPUT = [
  'bitrate=N/A',
  'total_size=N/A',
  'out_time_us=N/A',
  'out_time=N/A',
  'speed=N/A',
  'progress=continue',
  'frame=0',
  'bitrate= 812.3kbits/s',
  'total_size=48',
  'out_time_us=-23220',
  'progress=continue',
  'total_size=1015808',
  'out_time_us=10005000',
  'out_time=00:00:10.005000',
  'speed=1.01x',
  'progress=end',
  '',
].join('\n');

function parse(pieces: string[]): FfmpegProgress[] {
  const parser = new ProgressParser();
  const reports: FfmpegProgress[] = [];
  for (const piece of pieces) parser.push(piece, (p) => reports.push(p));
  return reports;
}

const EXPECTED: FfmpegProgress[] = [
  { totalSize: 0, outTimeMs: 0, progress: 'continue' },
  { totalSize: 48, outTimeMs: 0, progress: 'continue' },
  { totalSize: 1015808, outTimeMs: 10005, progress: 'end' },
];

describe('ProgressParser', () => {
  it('reads total size and output time; N/A values and negative times change nothing', () => {
    expect(parse([OUTPUT])).toEqual(EXPECTED);
  });

  it('gives the same reports whatever the chunk boundaries', () => {
    for (let cut = 1; cut < OUTPUT.length; cut++) {
      expect(parse([OUTPUT.slice(0, cut), OUTPUT.slice(cut)])).toEqual(EXPECTED);
    }
    expect(parse([...OUTPUT])).toEqual(EXPECTED);
  });

  it('ignores whitespace around keys and values, CRLF line ends and lines it does not know', () => {
    const text =
      ' total_size = 12 \r\nout_time_us=2000000\r\nnot a key value line\r\nfps=30.00\r\nprogress= end\r\n';
    expect(parse([text])).toEqual([{ totalSize: 12, outTimeMs: 2000, progress: 'end' }]);
  });

  it('refuses values that are not whole numbers', () => {
    const text = 'total_size=5\nprogress=continue\ntotal_size=12abc\nout_time_us=1.5\nprogress=continue\n';
    expect(parse([text])).toEqual([
      { totalSize: 5, outTimeMs: 0, progress: 'continue' },
      { totalSize: 5, outTimeMs: 0, progress: 'continue' },
    ]);
  });

  it('keeps an unfinished line until its end arrives', () => {
    const parser = new ProgressParser();
    const reports: FfmpegProgress[] = [];
    parser.push('total_size=7\nprogress=cont', (p) => reports.push(p));
    expect(reports).toEqual([]);
    parser.push('inue\n', (p) => reports.push(p));
    expect(reports).toEqual([{ totalSize: 7, outTimeMs: 0, progress: 'continue' }]);
  });
});
