// `npm install` at the root: generate the Prisma client (offline) and install the SPA's dependencies,
// so `npm start` only has to build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const gen = spawnSync(process.execPath, [join(root, 'scripts/prisma-generate.mjs')], { stdio: 'inherit' });
if (gen.status !== 0) process.exit(gen.status ?? 1);

const web = join(root, 'web');
if (existsSync(join(web, 'package.json')) && process.env.VYBZZ_SKIP_WEB_INSTALL !== '1') {
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: web, stdio: 'inherit' });
  if (r.status !== 0) console.warn('vybzz: installing the web app’s dependencies failed; `npm start` will retry');
}
