// The HTTP contract, generated: `node scripts/contract.mjs` (npm run contract:gen) writes
// src/contract/openapi.json (the server's OpenAPI document, built without a database or network) and
// web/src/generated/openapi.ts (the SPA's types, by openapi-typescript); `--check` (npm run
// contract:check) writes nothing and fails when either committed file differs from what the code
// generates now.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import prettier from 'prettier';

const root = resolve(import.meta.dirname, '..');
const SPEC = 'src/contract/openapi.json';
const TYPES = 'web/src/generated/openapi.ts';
const check = process.argv.includes('--check');

// Compile the server with the @nestjs/swagger plugin (nest-cli.json) into .openapi-build/, apart from dist/.
execFileSync('npx', ['nest', 'build', '-p', 'tsconfig.openapi.json'], { cwd: root, stdio: 'inherit' });
const dir = mkdtempSync(join(tmpdir(), 'vybzz-openapi-'));
let specJson;
try {
  execFileSync(process.execPath, [join(root, '.openapi-build/openapi.js'), join(dir, 'openapi.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  specJson = readFileSync(join(dir, 'openapi.json'), 'utf8');
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const format = async (text, file) =>
  prettier.format(text, { ...(await prettier.resolveConfig(join(root, file))), filepath: join(root, file) });
const header =
  '// Generated from src/contract/openapi.json by `npm run contract:gen` (openapi-typescript): do not edit.\n';
const outputs = {
  [SPEC]: await format(specJson, SPEC),
  [TYPES]: await format(header + astToString(await openapiTS(JSON.parse(specJson))), TYPES),
};

let stale = 0;
for (const [file, text] of Object.entries(outputs)) {
  const path = join(root, file);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (current === text) continue;
  if (check) {
    stale += 1;
    process.stderr.write(
      `${file} is stale: the code's contract changed. Run \`npm run contract:gen\` and commit.\n`,
    );
  } else {
    writeFileSync(path, text);
    process.stdout.write(`wrote ${file}\n`);
  }
}
if (stale) process.exit(1);
if (check) process.stdout.write('contract: the committed OpenAPI document and SPA types are up to date\n');
