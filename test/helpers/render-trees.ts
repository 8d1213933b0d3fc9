/** Folders to render, shared by the CLI (test/unit/render.test.ts) and language-server (test/protocol/rendered.test.ts) tests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');
export const DEPLOYMENT = fs.readFileSync(path.join(ROOT, 'examples/vllm-default-grace.yaml'), 'utf8');

/** Writes `files` into a new temporary folder (files under bin/ executable) and returns it. */
export function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-render-'));
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), text, { mode: p.startsWith('bin/') ? 0o755 : 0o644 });
  }
  return dir;
}

/** The overlay's patch: 6 replicas, a 20 s grace period. */
export const SCALE = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: llama-8b\n  namespace: inference\nspec:\n  replicas: 6\n  template:\n    spec:\n      terminationGracePeriodSeconds: 20\n';

/** A kustomize base (the example Deployment) and an overlay that patches it. */
export const OVERLAY = {
  'k/base/kustomization.yaml': 'resources:\n- deploy.yaml\n',
  'k/base/deploy.yaml': DEPLOYMENT,
  'k/overlays/prod/kustomization.yaml': 'resources:\n- ../../base\npatches:\n- path: scale.yaml\n',
  'k/overlays/prod/scale.yaml': SCALE,
};

/** A chart template made from the example: replicas and name templated. */
export const TEMPLATE = DEPLOYMENT.replace('replicas: 4', 'replicas: {{ .Values.replicas }}').replace('name: llama-8b\n  namespace', 'name: {{ .Release.Name }}\n  namespace');
