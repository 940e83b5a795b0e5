// Turns one service of docker-compose.yml into `podman run` arguments, so the smoke test runs the
// containers exactly as the compose file says (environment, volumes, port address, healthcheck, stop
// grace period) without a compose implementation. Prints the arguments NUL-separated.
//   node compose-args.mjs <service> <prefix>   → run arguments (named volumes become <prefix>-<name>)
//   node compose-args.mjs <service> --image    → the image name
// VYBZZ_COMPOSE_FILE names another compose file (the smoke test reads the clean clone's).
// Only what this project's compose file uses is understood; anything else stops with an error, so a
// change to the compose file cannot be silently ignored by the test.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const [service, prefix] = process.argv.slice(2);
const file = process.env.VYBZZ_COMPOSE_FILE || new URL('../../docker-compose.yml', import.meta.url);
const compose = parse(readFileSync(file, 'utf8'));
const svc = compose.services?.[service];
if (!svc) throw new Error(`docker-compose.yml has no service "${service}"`);

const KNOWN = new Set([
  'image',
  'build',
  'profiles',
  'depends_on',
  'environment',
  'ports',
  'volumes',
  'healthcheck',
  'stop_grace_period',
  'restart',
  'read_only',
  'tmpfs',
]);
for (const key of Object.keys(svc))
  if (!KNOWN.has(key)) throw new Error(`${service}.${key} is not understood`);

/** ${VAR}, ${VAR:-default}, ${VAR-default} from this process's environment, as Compose does. */
const interpolate = (value) =>
  String(value).replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_, name, fallback) =>
    process.env[name] !== undefined && process.env[name] !== '' ? process.env[name] : (fallback ?? ''),
  );
const seconds = (d) => {
  const m = /^(\d+)(s|m)$/.exec(String(d));
  if (!m) throw new Error(`duration "${d}" is not understood`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
};

if (prefix === '--image') {
  process.stdout.write(svc.image);
  process.exit(0);
}

const args = [];
const env = Array.isArray(svc.environment)
  ? svc.environment.map((e) => e.split(/=(.*)/s).slice(0, 2))
  : Object.entries(svc.environment ?? {});
for (const [k, v] of env) args.push('-e', `${k}=${interpolate(v ?? '')}`);
for (const v of svc.volumes ?? []) {
  const [source, target] = String(v).split(':');
  if (!(source in (compose.volumes ?? {}))) throw new Error(`volume "${source}" is not a named volume`);
  args.push('-v', `${prefix}-${source}:${target}`);
}
for (const p of svc.ports ?? []) {
  // Same address, any free host port: "127.0.0.1:3000:3000" → "127.0.0.1::3000".
  const parts = interpolate(p).split(':');
  const container = parts.pop();
  parts.pop();
  args.push('-p', parts.length ? `${parts[0]}::${container}` : `:${container}`);
}
// Docker's --read-only adds no tmpfs of its own; podman's would, so it is turned off.
if (svc.read_only) args.push('--read-only', '--read-only-tmpfs=false');
for (const t of svc.tmpfs ?? []) args.push('--tmpfs', t);
const hc = svc.healthcheck;
if (hc) {
  const [kind, ...rest] = hc.test;
  if (kind === 'CMD-SHELL') args.push('--health-cmd', rest.join(' '));
  else if (kind === 'CMD') args.push('--health-cmd', JSON.stringify(rest));
  else throw new Error(`healthcheck test "${kind}" is not understood`);
  if (hc.interval) args.push('--health-interval', hc.interval);
  if (hc.timeout) args.push('--health-timeout', hc.timeout);
  if (hc.retries) args.push('--health-retries', String(hc.retries));
  if (hc.start_period) args.push('--health-start-period', hc.start_period);
}
if (svc.stop_grace_period) args.push('--stop-timeout', String(seconds(svc.stop_grace_period)));
process.stdout.write(args.join('\0'));
