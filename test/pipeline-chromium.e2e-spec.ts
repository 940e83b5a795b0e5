/**
 * Live from a real browser: headless Chromium records its fake camera and microphone with
 * MediaRecorder and every chunk goes straight into an FfmpegPipeline as it arrives, as from the
 * ingest socket. Proves the recording helper and the pipeline work together on this machine/CI.
 *
 * Re-record the committed fixtures: `RECORD_FIXTURES=1 npx jest test/pipeline-chromium.e2e-spec.ts`.
 */
import { FfmpegPipelineFactory } from '../src/streams/pipeline/ffmpeg-pipeline.factory';
import { WebmSplitter } from '../src/streams/pipeline/webm-splitter';
import { decodeErrors, mediaSpan, probe } from './support/ffprobe';
import { defined, pairs } from './support/indexing';
import { FIXTURE_SPECS, loadFixture, recordFixtures, recordWebm } from './support/record-webm';
import { RtmpReceiver } from './support/rtmp-receiver';

const report = (line: string): void => void process.stdout.write(`[chromium e2e] ${line}\n`);

describe('Chromium MediaRecorder → FfmpegPipeline → nginx-rtmp', () => {
  let receiver: RtmpReceiver;
  beforeAll(async () => (receiver = await RtmpReceiver.start()));
  afterAll(() => receiver.stop(true));

  it('streams a live 720p H.264/Opus recording chunk by chunk and it arrives complete and clean', async () => {
    const key = 'chromiumlive';
    const pipeline = new FfmpegPipelineFactory().create({
      mimeType: 'video/webm;codecs=h264,opus',
      output: { kind: 'rtmp', url: receiver.url(key) },
      ffmpegPath: 'ffmpeg',
      label: 'chr…',
      restart: { maxFailures: 3, windowMs: 60_000 },
    });
    const splitter = new WebmSplitter();
    const keyframeTimes: number[] = [];
    splitter.on('cluster', (c) => c.keyframe && keyframeTimes.push(c.timestampMs));
    const recording = await recordWebm({
      seconds: 5,
      mimeType: 'video/webm;codecs=h264,opus',
      onChunk: (chunk) => {
        pipeline.push(chunk);
        splitter.push(chunk);
      },
    });
    splitter.end();
    await pipeline.stop(5000);

    // What MediaRecorder gives: the stream starts with the EBML header; the header and Tracks come in
    // the first chunk, or the first two on a busy host (Chromium has handed over a 1-byte first chunk,
    // the rest in the next: the pipeline parses bytes, not chunk boundaries); a chunk about every 300 ms
    // at timeslice 250; a keyframe every 2 s.
    const clusterStart = Buffer.from([
      0x1f, 0x43, 0xb6, 0x75, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    ]);
    const tracksIn = (chunks: Buffer[]): string[] => {
      const splitter = new WebmSplitter();
      const codecs: string[] = [];
      splitter.on('init', (init) => codecs.push(...init.tracks.map((t) => t.codecId)));
      splitter.on('error', () => undefined);
      splitter.push(Buffer.concat([...chunks, clusterStart])); // a Cluster after them ends the Tracks
      return codecs;
    };
    let chunksForInit = 1;
    while (chunksForInit < 3 && !tracksIn(recording.chunks.slice(0, chunksForInit)).length) chunksForInit++;
    const onlyFirst = tracksIn(recording.chunks.slice(0, chunksForInit));
    const firstChunk = defined(recording.chunks[0], 'a first chunk from MediaRecorder');
    expect(Buffer.concat(recording.chunks).subarray(0, 4)).toEqual(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]));
    expect([...onlyFirst].sort()).toEqual(['A_OPUS', 'V_MPEG4/ISO/AVC']);
    const intervals = pairs(recording.arrivalMs.slice(0, -1)).map(([a, b]) => b - a);
    const meanInterval = intervals.reduce((a, b) => a + b, 0) / intervals.length;
    expect(meanInterval).toBeGreaterThan(150);
    expect(meanInterval).toBeLessThan(500);
    expect(keyframeTimes[0]).toBe(0);
    expect(keyframeTimes.length).toBeGreaterThanOrEqual(2);

    const rec = defined((await receiver.waitForCompleteRecordings(1, key))[0], 'a complete recording');
    const info = await probe(rec.path);
    expect(info.streams.map((s) => [s.codecName, s.width ?? null])).toEqual([
      ['h264', 1280],
      ['aac', null],
    ]);
    const video = await mediaSpan(rec.path, 'v');
    expect(video.span).toBeGreaterThan(4);
    expect(video.span).toBeLessThan(6);
    expect(await decodeErrors(rec.path)).toBe('');
    expect(pipeline.stats()).toMatchObject({ state: 'ended', droppedClusters: 0, restarts: 0 });
    report(
      `live: ${recording.chunks.length} chunks (the first ${chunksForInit} hold the tracks, the first ${firstChunk.length} B: ` +
        `${onlyFirst.join('+')}), one every ${meanInterval.toFixed(0)} ms; keyframe clusters at ` +
        `${keyframeTimes.join(', ')} ms; received ${video.span.toFixed(2)} s of H.264+AAC, decodes cleanly`,
    );

    if (process.env.RECORD_FIXTURES === '1') {
      await recordFixtures();
      for (const name of Object.keys(FIXTURE_SPECS)) {
        const fixture = loadFixture(name);
        report(`re-recorded ${name}: ${fixture.chunks.length} chunks, ${fixture.data.length} bytes`);
      }
    }
  }, 60_000);
});
