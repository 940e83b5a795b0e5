import { existsSync } from 'node:fs';
import { ConfigValidationError, parseConfig } from './config/app-config';
import { createApp } from './bootstrap';

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
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  process.stdout.write(
    `Vybzz is listening on ${url.replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost')}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`Vybzz failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
