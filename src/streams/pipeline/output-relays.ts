/**
 * The loopback relays of one FFmpeg process (issue 16, item 3): every RTMP(S) destination with a key
 * — the Mux output, and each restream target of the local provider's tee — gets its own RtmpRelay,
 * so no stream key is on FFmpeg's command line. `output` is what FFmpeg is given instead.
 */
import type { PipelineOutput } from './ffmpeg-args';
import { RtmpRelay } from './rtmp-relay';
import type { RestreamSlave } from './tee-output';

/** A restream relay gives up on a target that took no data this long (the tee then drops it). */
export const RESTREAM_STALL_GIVE_UP_MS = 8_000;

export class OutputRelays {
  private constructor(
    /** What FFmpeg publishes to: loopback URLs with placeholders, the real tcUrls. */
    readonly output: PipelineOutput,
    /** The relay of an `rtmp` output. */
    private readonly main: RtmpRelay | undefined,
    /** One relay per restream target, in the tee's order. */
    private readonly slaves: readonly RtmpRelay[],
  ) {}

  /** True when `output` has a destination that carries a key (and so needs relays). */
  static needed(output: PipelineOutput): boolean {
    return output.kind === 'rtmp' || !!output.restream?.length;
  }

  static async open(output: PipelineOutput): Promise<OutputRelays> {
    if (output.kind === 'rtmp') {
      const relay = await RtmpRelay.open(output);
      return new OutputRelays({ kind: 'rtmp', url: relay.localUrl, tcUrl: relay.tcUrl }, relay, []);
    }
    const targets = output.restream ?? [];
    const opened = await Promise.allSettled(
      targets.map((t) =>
        RtmpRelay.open({ url: t.url, caFile: t.caFile, giveUpAfterStallMs: RESTREAM_STALL_GIVE_UP_MS }),
      ),
    );
    const relays = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = opened.find((r) => r.status === 'rejected');
    if (failed) {
      for (const r of relays) r.close();
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    const restream: RestreamSlave[] = targets.map((t, i) => ({
      ...t,
      url: relays[i]!.localUrl,
      tcUrl: relays[i]!.tcUrl,
      caFile: null, // FFmpeg speaks plain RTMP to the relay; the relay verifies TLS
    }));
    return new OutputRelays({ ...output, restream }, undefined, relays);
  }

  private get all(): RtmpRelay[] {
    return this.main ? [this.main, ...this.slaves] : [...this.slaves];
  }

  /** Accept only connections held by this process (the FFmpeg just started). */
  expectPeer(pid: number | undefined): void {
    for (const r of this.all) r.expectPeer(pid);
  }

  onWarn(fn: (message: string) => void): void {
    this.main?.on('warn', fn);
    this.slaves.forEach((r, i) => r.on('warn', (m) => fn(`restream target #${i + 1}: ${m}`)));
  }

  /** How long the main output's upstream has not taken data (restream relays give up by themselves). */
  stalledForMs(): number {
    return this.main?.stalledForMs() ?? 0;
  }

  /** Why the main output's relayed connection failed, if it did. */
  get lastError(): string | null {
    return this.main?.lastError ?? null;
  }

  /** Why restream target `index` (0-based) failed, as the relay saw it; null: the relay did not fail. */
  slaveReason(index: number): string | null {
    return this.slaves[index]?.reason ?? null;
  }

  /** Resolves once every relay's upstream has closed (the receivers saw the publish end). */
  settled(): Promise<void> {
    return Promise.all(this.all.map((r) => r.settled())).then(() => undefined);
  }

  /** See RtmpRelay.close: `finish` after a clean FFmpeg exit, `abort` otherwise. */
  close(how: 'abort' | 'finish' = 'abort'): void {
    for (const r of this.all) r.close(how);
  }
}
