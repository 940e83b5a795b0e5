/**
 * The deployment files are checked without a cluster or a Docker engine: the Kubernetes example against
 * the Kubernetes API's own schemas (kubernetes-models) plus the fields this app depends on, and the
 * compose file for what issue 10 asks of it. The container itself is run by test/container/smoke.sh.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { defined } from './support/indexing';

const root = join(__dirname, '..');
const k8sDir = join(root, 'deploy/k8s');
const manifests = readdirSync(k8sDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join(k8sDir, f));

interface Validation {
  file: string;
  kind: string;
  name: string | null;
  error: string | null;
}
const validate = (files: string[]): Validation[] =>
  JSON.parse(
    execFileSync(process.execPath, [join(root, 'test/support/k8s-validate.mjs'), ...files], {
      encoding: 'utf8',
    }),
  ) as Validation[];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are free-form YAML
const load = (file: string): any => parse(readFileSync(join(root, file), 'utf8'));

describe('deploy/k8s', () => {
  const deployment = load('deploy/k8s/deployment.yaml');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it('is valid against the Kubernetes API schemas', () => {
    const results = validate(manifests);
    expect(results.map((r) => r.kind).sort()).toEqual([
      'Deployment',
      'Ingress',
      'PodDisruptionBudget',
      'Secret',
      'Service',
    ]);
    expect(results.filter((r) => r.error)).toEqual([]);
  });

  it('refuses a manifest the API would refuse (the validation is live)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vybzz-k8s-'));
    try {
      const broken = structuredClone(deployment);
      broken.spec.template.spec.containers[0].readinessProbe.periodSeconds = 'often';
      writeFileSync(join(dir, 'broken.yaml'), stringify(broken));
      const [result] = validate([join(dir, 'broken.yaml')]);
      expect(defined(result, 'a validation result').error).toMatch(
        /readinessProbe\/periodSeconds must be integer/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs several non-root replicas on one PostgreSQL, probed on /health', () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    const port = container.ports.find((p: { name: string }) => p.name === 'http');
    expect(port.containerPort).toBe(3000);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(container[probe].httpGet).toEqual({ path: '/health', port: 'http' });
    }
    const env = Object.fromEntries(
      container.env.map((e: { name: string; value?: string }) => [e.name, e.value]),
    );
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '3000' });
    expect(
      container.env.find((e: { name: string }) => e.name === 'INSTANCE_ID').valueFrom.fieldRef.fieldPath,
    ).toBe('metadata.name');
    const secret = load('deploy/k8s/secret.example.yaml');
    expect(container.envFrom[0].secretRef.name).toBe(secret.metadata.name);
    expect(Object.keys(secret.stringData)).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'CLERK_JWT_KEY', 'CLERK_AUTHORIZED_PARTIES', 'MUX_TOKEN_ID']),
    );
  });

  it('drains before SIGTERM and gives the 10 s shutdown room to finish', () => {
    const preStop = container.lifecycle.preStop.exec.command;
    expect(preStop[0]).toBe('sleep');
    const drainS = Number(preStop[1]);
    expect(drainS).toBeGreaterThanOrEqual(3);
    // The app bounds its own shutdown at 10 s (src/main.ts); the grace period covers drain + that + margin.
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(drainS + 10 + 5);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  it('routes TLS traffic with WebSocket-friendly timeouts to the pods', () => {
    const service = load('deploy/k8s/service.yaml');
    const ingress = load('deploy/k8s/ingress.yaml');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports[0].targetPort).toBe('http');
    expect(ingress.spec.tls[0].secretName).toBeTruthy();
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    expect(backend).toEqual({ name: service.metadata.name, port: { name: 'http' } });
    expect(
      Number(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']),
    ).toBeGreaterThan(60);
  });
});

describe('docker-compose.yml', () => {
  const compose = load('docker-compose.yml');
  const composeArgs = (service: string): string[] =>
    execFileSync(process.execPath, [join(root, 'test/container/compose-args.mjs'), service, 'p'], {
      encoding: 'utf8',
    }).split('\0');

  it('publishes local sign-in on 127.0.0.1 only, listening on 0.0.0.0 inside the container', () => {
    const app = compose.services.app;
    expect(app.environment).toMatchObject({ NODE_ENV: 'development', HOST: '0.0.0.0', PORT: 3000 });
    expect(app.ports).toEqual(['127.0.0.1:3000:3000']);
    expect(app.env_file).toBeUndefined(); // a .env cannot change HOST or the port
  });

  it('has a production profile with Clerk, Mux and PostgreSQL that local mode never starts', () => {
    const prod = compose.services['app-production'];
    expect(prod.profiles).toEqual(['production']);
    expect(compose.services.app.profiles).toBeUndefined();
    expect(prod.environment).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: 3000 });
    expect(prod.environment.DATABASE_URL).toMatch(/@postgres:5432\/vybzz$/);
    for (const name of [
      'CLERK_SECRET_KEY',
      'CLERK_JWT_KEY',
      'CLERK_AUTHORIZED_PARTIES',
      'MUX_TOKEN_ID',
      'MUX_TOKEN_SECRET',
      'MUX_WEBHOOK_SIGNING_SECRET',
    ]) {
      expect(prod.environment[name]).toBe(`\${${name}:-}`);
    }
    expect(prod.depends_on.postgres.condition).toBe('service_healthy');
  });

  it('is understood by the smoke test, which runs the containers as it says', () => {
    for (const service of ['postgres', 'app', 'app-production'])
      expect(composeArgs(service).length).toBeGreaterThan(4);
    expect(composeArgs('app')).toEqual(
      expect.arrayContaining(['-p', '127.0.0.1::3000', '--stop-timeout', '15']),
    );
  });
});
