#!/usr/bin/env node
// Copies the screenshots client/README.md (and README.md) show from the last VS Code end-to-end run
// (test-results/e2e/, `npm run test:e2e:vscode`) to client/media/screenshots/. They are linked from GitHub by the
// marketplace README (vsce --baseImagesUrl), not packaged in the .vsix. A step that failed has no usable picture:
// its screenshot ends in -FAILED and is not copied.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = process.env.SERVELINT_E2E_RESULTS ?? join(root, 'test-results/e2e');
const out = join(root, 'client/media/screenshots');
const PICK = {
  'walkthrough.png': /^vscode-\d+-walkthrough-Get-started-with-servelint-opens\.png$/,
  'codelens.png': /^vscode-\d+-walkthrough-button-Open-the-example-.*\.png$/,
  'kustomize-overlay.png': /^vscode-\d+-kustomize-overlay-Problems-lists-.*\.png$/,
  'lint-workspace.png': /^vscode-\d+-lint-workspace-problems-filtered\.png$/,
  'cost-view.png': /^vscode-\d+-cost-view-the-CodeLens-opens-a-rendered-panel.*\.png$/,
  'cost-view-charts.png': /^vscode-\d+-cost-view-1M-tokens-across-the-GPUs.*\.png$/,
  'cost-view-what-if.png': /^vscode-\d+-cost-view-choosing-another-GPU.*\.png$/,
  'cost-view-annotation.png': /^vscode-\d+-cost-view-Write-as-annotation.*\.png$/,
};
const files = readdirSync(results).filter((f) => !/-FAILED\.png$/.test(f));
mkdirSync(out, { recursive: true });
let missing = 0;
for (const [name, re] of Object.entries(PICK)) {
  const f = files.find((x) => re.test(x));
  if (!f) {
    console.error(`no screenshot for ${name} (${re}) in ${results}`);
    missing++;
    continue;
  }
  copyFileSync(join(results, f), join(out, name));
  console.log(`${f} -> client/media/screenshots/${name}`);
}
process.exit(missing ? 1 : 0);
