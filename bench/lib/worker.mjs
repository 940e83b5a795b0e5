/** The orchestrator's side of bench/publishers.mjs: one request at a time over IPC. */
import { fork } from 'node:child_process';
import { join } from 'node:path';

export class PublisherWorker {
  /** `splitterPath`: the app's compiled WebmSplitter (what the server can forward after each chunk). */
  static async start(benchDir, recordingBase, splitterPath) {
    const w = new PublisherWorker(
      fork(join(benchDir, 'publishers.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    );
    await w.request({ cmd: 'load', base: recordingBase, splitterPath }, 'loaded');
    return w;
  }

  constructor(proc) {
    this.proc = proc;
    this.seq = 0;
    this.exited = new Promise((r) => proc.on('exit', r));
  }

  get pid() {
    return this.proc.pid;
  }

  /**
   * Sends `msg` and resolves with the reply of type `until` (default 'result'); `onStarted` gets the
   * 'started' message (start time of the paced sending) as soon as it arrives.
   */
  request(msg, until = 'result', onStarted = () => undefined) {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const onMessage = (m) => {
        if (m.type === 'started') return onStarted(m);
        if (m.type === 'error') return done(() => reject(new Error(`publisher worker: ${m.message}`)));
        if (m.type === until) done(() => resolve(m));
      };
      const onExit = (code) => done(() => reject(new Error(`publisher worker exited (${code})`)));
      const done = (fn) => {
        this.proc.off('message', onMessage);
        this.proc.off('exit', onExit);
        fn();
      };
      this.proc.on('message', onMessage);
      this.proc.on('exit', onExit);
      this.proc.send({ ...msg, id });
    });
  }

  async stop() {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
    await this.exited;
    clearTimeout(t);
  }
}
