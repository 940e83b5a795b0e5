/**
 * The RTMP receiver's `on_publish` callback (nginx-rtmp's notify module). nginx waits for this answer
 * before it goes on with the publish and opens its recording, so moving the key's previous recording
 * aside here cannot race that open: every publish records to a file of its own, however quickly the
 * next one follows. (An `exec_record_done` script that renamed the file after the fact raced it: a
 * publish that began before the rename wrote into the previous file, or had its own moved away.)
 */
import { renameSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';

export class PublishHook {
  private seq = 0;

  private constructor(
    private readonly server: Server,
    private readonly recordDir: string,
    private readonly doneDir: string,
  ) {}

  /** Listens on a free loopback port; `url` goes into nginx's `on_publish`. */
  static async start(recordDir: string, doneDir: string): Promise<PublishHook> {
    const hook = new PublishHook(createServer(), recordDir, doneDir);
    hook.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString('latin1')));
      req.on('end', () => {
        hook.published(new URLSearchParams(body).get('name') ?? '');
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.server.listen(0, '127.0.0.1', resolve));
    return hook;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/publish`;
  }

  /** The key's previous recording (closed unless this publish is about to be refused) → done/. */
  private published(name: string): void {
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return;
    const to = join(this.doneDir, `${String(++this.seq).padStart(6, '0')}-${name}.flv`);
    try {
      renameSync(join(this.recordDir, `${name}.flv`), to);
    } catch {
      // no previous recording of this key
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
