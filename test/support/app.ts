/** Starts the real app (real database, real ffmpeg) on port 0 for an e2e test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../src/bootstrap';
import { AppConfig, parseConfig } from '../../src/config/app-config';
import { PrismaService } from '../../src/prisma/prisma.service';
import { createTestDatabase, TestDatabase } from './db';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  url: string;
  wsUrl: string;
  prisma: PrismaService;
  dataDir: string;
  databaseUrl: string | null;
  /** Every JSON log line the app wrote. */
  logs: string[];
  close(): Promise<void>;
}

export interface StartOptions {
  /** Reuse a data folder (embedded database survives a restart). */
  dataDir?: string;
  /** Share a database with another instance (its URL), instead of a fresh one. */
  databaseUrl?: string | null;
  logLevel?: string;
}

export async function startApp(env: Record<string, string> = {}, opts: StartOptions = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'vybzz-test-'));
  let db: TestDatabase | null = null;
  let databaseUrl: string | null;
  if (opts.databaseUrl !== undefined) {
    databaseUrl = opts.databaseUrl;
  } else {
    db = await createTestDatabase();
    databaseUrl = db?.url ?? null;
  }
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: opts.logLevel ?? 'info',
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    STREAM_CREATE_RATE_LIMIT_PER_MINUTE: '1000',
    WRITE_RATE_LIMIT_PER_MINUTE: '10000',
    SIGN_IN_FAILURES_PER_IP_PER_MINUTE: '100000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(line);
      cb();
    },
  });
  const app = await createApp(config, { logDestination: sink });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  let closed = false;
  return {
    app,
    config,
    url,
    wsUrl: url.replace('http', 'ws'),
    prisma: app.get(PrismaService),
    dataDir,
    databaseUrl,
    logs,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      await db?.drop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
