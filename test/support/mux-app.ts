/**
 * The Mux-provider setup of an e2e spec: the Mux API stand-in, nginx-rtmp as Mux's RTMP ingest when
 * the spec streams (without it MUX_RTMP_URL names a closed port), and the app wired to both.
 * `startMuxSide()` is the Mux half alone, for specs that start the app their own way.
 */
import { startApp, type TestApp } from './app';
import { MuxStandin } from './mux-standin';
import { RtmpReceiver } from './rtmp-receiver';

/** Nothing listens on the discard port: an FFmpeg started against it fails to connect. */
const NO_RTMP = 'rtmp://127.0.0.1:9/app';

export interface MuxSideOptions {
  /** Start nginx-rtmp and point MUX_RTMP_URL at it. */
  rtmp?: boolean;
}

export interface MuxSide {
  mux: MuxStandin;
  rtmp: RtmpReceiver | undefined;
  /** The settings that point the app at the stand-in and the receiver. */
  env: Record<string, string>;
  /** Stops the receiver (removing its recordings), then the stand-in. */
  stop(): Promise<void>;
}

export interface MuxApp {
  mux: MuxStandin;
  rtmp: RtmpReceiver | undefined;
  t: TestApp;
  /** Closes the app, then stops the Mux side. */
  close(): Promise<void>;
}

/** What `{ rtmp: true }` starts: the receiver is there. */
export type WithRtmp<T> = T & { rtmp: RtmpReceiver };

export function startMuxSide(opts: { rtmp: true }): Promise<WithRtmp<MuxSide>>;
export function startMuxSide(opts?: MuxSideOptions): Promise<MuxSide>;
export async function startMuxSide(opts: MuxSideOptions = {}): Promise<MuxSide> {
  const mux = await MuxStandin.start();
  let rtmp: RtmpReceiver | undefined;
  try {
    rtmp = opts.rtmp ? await RtmpReceiver.start() : undefined;
  } catch (err) {
    await mux.stop();
    throw err;
  }
  return {
    mux,
    rtmp,
    env: mux.env(rtmp?.appUrl ?? NO_RTMP),
    stop: async () => {
      await rtmp?.stop(true);
      await mux.stop();
    },
  };
}

export interface MuxAppOptions extends MuxSideOptions {
  /** More settings for the app, over the Mux ones. */
  env?: Record<string, string>;
}

export function startMuxApp(opts: MuxAppOptions & { rtmp: true }): Promise<WithRtmp<MuxApp>>;
export function startMuxApp(opts?: MuxAppOptions): Promise<MuxApp>;
export async function startMuxApp(opts: MuxAppOptions = {}): Promise<MuxApp> {
  const side = await startMuxSide(opts);
  let t: TestApp;
  try {
    t = await startApp({ ...side.env, ...opts.env });
  } catch (err) {
    await side.stop();
    throw err;
  }
  return {
    mux: side.mux,
    rtmp: side.rtmp,
    t,
    close: async () => {
      await t.close();
      await side.stop();
    },
  };
}

/**
 * startMuxApp() before the suite's tests, close() after them: `bind` receives the parts once started,
 * e.g. `withMuxApp((s) => ({ mux, t } = s))`.
 */
export function withMuxApp(bind: (app: WithRtmp<MuxApp>) => void, opts: MuxAppOptions & { rtmp: true }): void;
export function withMuxApp(bind: (app: MuxApp) => void, opts?: MuxAppOptions): void;
export function withMuxApp(bind: (app: WithRtmp<MuxApp>) => void, opts: MuxAppOptions = {}): void {
  let app: MuxApp | undefined;
  beforeAll(async () => {
    app = await startMuxApp(opts);
    bind(app as WithRtmp<MuxApp>); // the overloads ask for the receiver only with { rtmp: true }
  });
  afterAll(() => app?.close());
}
