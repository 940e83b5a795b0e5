import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { bindNotice, ConfigValidationError, parseConfig } from './config/app-config';
import { createApp } from './bootstrap';
import { installProcessGuard } from './process-guard';

/** SIGTERM must end the process within this bound, whatever happens (orchestrators kill at 10 s). */
const SHUTDOWN_DEADLINE_MS = 9_500;

async function main(): Promise<void> {
  // The only place that reads the environment: an optional .env file, then validation into AppConfig.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = parseConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const app = await createApp(config);
  const logger = new Logger('Main');
  installProcessGuard({ error: (m) => logger.error(m) });
  await app.listen(config.port, config.host);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping (publishers get 1001, FFmpeg flushes)`);
    setTimeout(() => {
      process.stderr.write('shutdown exceeded its deadline; exiting now\n');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    app.getHttpServer().close(); // stop accepting connections; open ones finish below
    try {
      await app.close();
      process.exit(0);
    } catch (e) {
      process.stderr.write(`shutdown failed: ${(e as Error).message}\n`);
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal));

  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  // The notice first: whoever waits for the "listening on" line has read it by then.
  process.stdout.write(`Vybzz: ${bindNotice(config, Boolean(process.env.HOST?.trim()))}\n`);
  process.stdout.write(`Vybzz is listening on ${url}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`Vybzz failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
