// Validates Kubernetes manifests against the API's own OpenAPI schemas, as shipped (compiled) by the
// `kubernetes-models` package (ESM only, hence a separate process for jest).
// Usage: node k8s-validate.mjs <file.yaml>… → prints [{file, kind, name, error}] as JSON.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const modules = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
};

const results = [];
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const obj = doc.toJS();
    if (!obj) continue;
    const entry = { file, kind: obj.kind, name: obj.metadata?.name ?? null, error: null };
    try {
      if (doc.errors.length) throw new Error(doc.errors[0].message);
      const path = modules[obj.apiVersion];
      if (!path) throw new Error(`apiVersion ${obj.apiVersion} is not known to this validator`);
      const Model = (await import(path))[obj.kind];
      if (!Model) throw new Error(`${obj.apiVersion} has no kind ${obj.kind}`);
      new Model(obj).validate();
    } catch (e) {
      entry.error = e.message;
    }
    results.push(entry);
  }
}
process.stdout.write(JSON.stringify(results));
