// `npm start`: builds what is missing or stale (the server into dist/, the SPA into web/dist/), then
// runs the app. On a fresh machine with no settings it serves everything on http://localhost:3000.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args, cwd = root, fatal = true) => {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  if (r.status === 0) return true;
  console.error(`vybzz: "${cmd} ${args.join(' ')}" failed`);
  if (fatal) process.exit(r.status ?? 1);
  return false;
};

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const mainJs = join(root, 'dist/main.js');
if (!existsSync(mainJs) || statSync(mainJs).mtimeMs < newest(join(root, 'src'))) {
  console.log('vybzz: building the server…');
  run(process.execPath, [join(root, 'node_modules/@nestjs/cli/bin/nest.js'), 'build']);
}
const web = join(root, 'web');
if (existsSync(join(web, 'package.json')) && !existsSync(join(web, 'dist/index.html'))) {
  console.log('vybzz: building the web app…');
  const ok =
    (existsSync(join(web, 'node_modules')) || run('npm', ['install', '--no-audit', '--no-fund'], web, false)) &&
    run('npm', ['run', 'build'], web, false);
  // The API still runs without the SPA; say so instead of refusing to start.
  if (!ok) console.error('vybzz: the web app could not be built; serving the API only');
}

if (process.argv.includes('--build-only')) process.exit(0);

// The app runs as a child; signals are passed on so SIGTERM still shuts it down gracefully.
const app = spawn(process.execPath, ['--enable-source-maps', mainJs], { cwd: root, stdio: 'inherit', env: process.env });
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => app.kill(sig));
app.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
