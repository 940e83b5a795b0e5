/**
 * Writes the OpenAPI document to the file named by argv[2], without a database or the network: the
 * app's modules are built in preview mode (no provider is instantiated, no hook runs), which is all
 * the document needs. Run through `npm run contract:gen` (scripts/contract.mjs), which compiles this
 * with the @nestjs/swagger plugin first.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { parseConfig } from './config/app-config';
import { createOpenApiDocument } from './openapi-document';

async function main(out: string): Promise<void> {
  const config = parseConfig({ NODE_ENV: 'development', DATA_DIR: tmpdir(), API_DOCS: 'on' });
  const app = await NestFactory.create(AppModule.forRoot(config), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  writeFileSync(out, `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`);
  await app.close();
}

const out = process.argv[2];
if (!out) throw new Error('usage: node openapi.js <output.json>');
main(out).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
