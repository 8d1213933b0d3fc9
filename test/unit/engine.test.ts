import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLinter } from '../../server/src';
import { parseFlags, tokenize } from '../../server/src/engine/model/args';
import { serverArgs } from '../../server/src/engine/model/server';
import { splitDocuments } from '../../server/src/engine/yaml/split';
import { applyAllFixes, applyEdits, preferredFix } from '../../server/src/engine/fixes';
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument, type YAMLMap } from 'yaml';
import { insertIntoMap } from '../../server/src/engine/edits';
import type { DocModelRef } from '../../server/src/engine/yaml/nodes';
import { findings, located, rulesOf, run, yaml } from './helpers/lint';

/** no-disruption-budget notes (info) on every single-pod workload; tests about other rules leave it out. */
const SINGLE_POD_NOTE = 'no-disruption-budget';
const lintRules = rulesOf;

const vllm = (extra = ''): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: llm
    ${extra}
  spec:
    replicas: 1
    template:
      spec:
        containers:
          - name: server
            image: vllm/vllm-openai:v0.6.3
            resources: {limits: {nvidia.com/gpu: 1}}
            readinessProbe: {httpGet: {path: /health, port: 8000}, timeoutSeconds: 5}
`;

function argsOf(command: string[], args: string[], env: Record<string, string> = {}, kind?: 'tgi' | 'trtllm') {
  const doc = parseDocument(`command: ${JSON.stringify(command)}\nargs: ${JSON.stringify(args)}`);
  const map = doc.contents as unknown as { get(k: string, keep: boolean): never };
  const tokens = tokenize(map.get('command', true), map.get('args', true), env, doc.toString());
  return serverArgs(tokens, env, kind);
}

test('args: trtllm-serve <model> (positional), --tp_size, --pp_size, --max_batch_size', () => {
  const a = argsOf(['trtllm-serve'], ['nvidia/Llama-3.1-8B-Instruct-FP8', '--tp_size', '2', '--pp_size', '1', '--max_batch_size', '128', '--kv_cache_free_gpu_memory_fraction', '0.8'], {}, 'trtllm');
  assert.equal(a.model?.value, 'nvidia/Llama-3.1-8B-Instruct-FP8');
  assert.equal(a.tensorParallel, 2);
  assert.equal(a.pipelineParallel, 1);
  assert.equal(a.flags.get('--max-batch-size')?.value, '128');
  assert.equal(argsOf(['trtllm-serve', 'serve', 'Qwen/Qwen3-8B'], ['--port', '8000'], {}, 'trtllm').model?.value, 'Qwen/Qwen3-8B');
});

test('args: --flag=value, --flag value, split between command and args, -tp, positional vllm serve', () => {
  const a = argsOf(['vllm', 'serve', 'Qwen/Qwen2.5-7B-Instruct'], ['--tensor-parallel-size=2', '--max-model-len', '8192', '--quantization', 'awq', '--dtype=half', '--port', '8080']);
  assert.equal(a.model?.value, 'Qwen/Qwen2.5-7B-Instruct');
  assert.equal(a.tensorParallel, 2);
  assert.equal(a.maxModelLen, 8192);
  assert.equal(a.quantization, 'awq');
  assert.equal(a.dtype, 'half');
  assert.equal(a.port, 8080);
  const b = argsOf(['python3', '-m', 'vllm.entrypoints.openai.api_server', '--model'], ['meta-llama/Llama-3.1-70B', '-tp', '4', '--pipeline-parallel-size', '2']);
  assert.equal(b.model?.value, 'meta-llama/Llama-3.1-70B');
  assert.equal(b.tensorParallel, 4);
  assert.equal(b.pipelineParallel, 2);
  const sg = argsOf(['python3', '-m', 'sglang.launch_server'], ['--model-path', '/models/llama', '--tp', '8', '--context-length', '2048']);
  assert.equal(sg.model?.value, '/models/llama');
  assert.equal(sg.tensorParallel, 8);
  assert.equal(sg.maxModelLen, 2048);
  // Data parallelism (SGLang --dp, vLLM --data-parallel-size) and trtllm-serve's underscore flags.
  assert.equal(argsOf(['python3', '-m', 'sglang.launch_server'], ['--model-path', '/m', '--tp', '2', '--dp', '4']).dataParallel, 4);
  assert.equal(argsOf(['vllm', 'serve', 'm'], ['--data-parallel-size', '2']).dataParallel, 2);
  const trt = argsOf(['trtllm-serve', 'meta-llama/Llama-3.1-8B-Instruct'], ['--tp_size', '4', '--pp_size', '2']);
  assert.deepEqual([trt.tensorParallel, trt.pipelineParallel], [4, 2]);
});

test('args: sh -c scripts, $(VAR) and $VAR references, env fallbacks', () => {
  const env = { MODEL: 'mistralai/Mistral-7B-Instruct-v0.3', TP: '2' };
  const a = argsOf(['/bin/sh', '-c'], ['pip install x && exec vllm serve Qwen/Qwen3-8B --tensor-parallel-size "$TP" \\\n  --max-model-len=4096'], env);
  assert.equal(a.model?.value, 'Qwen/Qwen3-8B');
  assert.equal(a.tensorParallel, 2);
  assert.equal(a.maxModelLen, 4096);
  const b = argsOf(['sh', '-c', 'vllm serve $(MODEL) --tensor-parallel-size "${TP}" --max-model-len=4096'], [], env);
  assert.equal(b.model?.value, 'mistralai/Mistral-7B-Instruct-v0.3');
  assert.equal(b.tensorParallel, 2);
  assert.equal(b.maxModelLen, 4096);
  const tgi = argsOf(['text-generation-launcher'], ['--model-id', '$(MODEL_ID)', '--num-shard', '2'], { MODEL_ID: 'tiiuae/falcon-7b' });
  assert.equal(tgi.model?.value, 'tiiuae/falcon-7b');
  assert.equal(tgi.tensorParallel, 2);
  const envOnly = argsOf([], [], { MODEL_ID: 'google/gemma-2-9b-it', QUANTIZE: 'bitsandbytes-nf4', MAX_TOTAL_TOKENS: '2048', MAX_INPUT_LENGTH: '1024' }, 'tgi');
  assert.equal(envOnly.model?.value, 'google/gemma-2-9b-it');
  assert.equal(envOnly.quantization, 'bitsandbytes-nf4');
  assert.equal(envOnly.maxTotalTokens, 2048);
  assert.equal(envOnly.maxInputTokens, 1024);
});

test('args: flag ranges point into the YAML source', () => {
  const t = vllm().replace('          resources:', '          args: ["--model", "meta-llama/Llama-3.1-8B-Instruct"]\n          resources:');
  const w = run(t).workloads[0]!;
  const h = w.hovers.find((x) => x.topic === 'model')!;
  assert.equal(t.slice(h.range.start, h.range.end), 'meta-llama/Llama-3.1-8B-Instruct');
  const s = vllm().replace('          resources:', '          command: ["sh", "-c", "vllm serve meta-llama/Llama-3.1-8B-Instruct --port 8000"]\n          resources:');
  const h2 = run(s).workloads[0]!.hovers.find((x) => x.topic === 'model')!;
  assert.equal(s.slice(h2.range.start, h2.range.end), 'meta-llama/Llama-3.1-8B-Instruct');
  assert.deepEqual([...parseFlags([{ value: '--enforce-eager' }, { value: '--port' }, { value: '1' }]).flags.keys()], ['--enforce-eager', '--port']);
});

test('model servers are recognised by image, command, accelerator and annotation; nginx gets nothing', () => {
  const kinds: [string, string][] = [
    ['image: ghcr.io/huggingface/text-generation-inference:2.4', 'tgi'],
    ['image: lmsysorg/sglang:v0.4.0', 'sglang'],
    ['image: nvcr.io/nvidia/tritonserver:24.08-trtllm-python-py3', 'trtllm'],
    ['image: nvcr.io/nvidia/tritonserver:24.08-vllm-python-py3', 'triton'],
    ['image: nvcr.io/nvidia/tritonserver:24.08-py3\n          command: ["python3", "/opt/tritonserver/tensorrtllm_backend/scripts/launch_triton_server.py"]', 'triton'],
    ['image: nvcr.io/nim/meta/llama-3.1-8b-instruct:1.1.0', 'nim'],
    ['image: ollama/ollama:latest', 'ollama'],
    ['image: ghcr.io/ggerganov/llama.cpp:server', 'llamacpp'],
    ['image: kserve/huggingfaceserver:v0.14', 'kserve-huggingface'],
    ['image: python:3.11\n          command: ["python3", "-m", "vllm.entrypoints.openai.api_server"]', 'vllm'],
    ['image: my/llama:1\n          command: ["llama-server", "-m", "/m.gguf"]', 'llamacpp'],
  ];
  for (const [image, kind] of kinds) {
    const t = vllm().replace('image: vllm/vllm-openai:v0.6.3', image);
    assert.equal(run(t).workloads[0]?.modelServer, kind, image);
  }
  const nginx = vllm().replace('image: vllm/vllm-openai:v0.6.3', 'image: nginx:1.27').replace('          resources: {limits: {nvidia.com/gpu: 1}}\n', '');
  assert.deepEqual(run(nginx), { findings: [], workloads: [], objectCount: 1 });
  // Triton's plain image with no LLM backend in its command serves classic models: a GPU does not make it an LLM server.
  assert.equal(run(vllm().replace('image: vllm/vllm-openai:v0.6.3', 'image: nvcr.io/nvidia/tritonserver:24.08-py3')).workloads.length, 0);
  const forced = nginx.replace('  name: llm\n', '  name: llm\n  annotations: {servelint.io/model-server: "true"}\n');
  assert.equal(run(forced).workloads.length, 1);
  const off = vllm('annotations: {servelint.io/model-server: "false"}');
  assert.deepEqual(run(off).findings, []);
  // A server kind in the annotation wins over detection by GPU (a custom image): vLLM defaults apply.
  const custom = vllm('annotations: {servelint.io/model-server: "sglang"}').replace('image: vllm/vllm-openai:v0.6.3', 'image: registry.local/llm:1');
  assert.equal(run(custom).workloads[0]?.modelServer, 'sglang');
  // ... but it does not turn a sidecar into a second server.
  const withSidecar = custom.replace(/^( *)- name: server$/m, '$1- name: log-shipper\n$1  image: fluent/fluent-bit:3.0\n$1- name: server');
  assert.notEqual(withSidecar, custom);
  // (no-disruption-budget's single-pod note is on the Deployment's replicas, not on a container.)
  const found = run(withSidecar).findings.filter((f) => f.rule !== SINGLE_POD_NOTE).map((f) => withSidecar.slice(f.range.start, f.range.end));
  assert.ok(found.length > 0 && found.every((x) => x === 'server'), JSON.stringify(found));
});

test('suppression: ignore-check annotation on the workload or pod template; disable comments', () => {
  const rulesOf = (t: string): string[] => lintRules(t).filter((r) => r !== SINGLE_POD_NOTE);
  assert.ok(rulesOf(vllm()).includes('grace-period-truncates-generations'));
  const ann = vllm('annotations: {ignore-check.servelint.io/grace-period-truncates-generations: "batch jobs only"}');
  assert.ok(!rulesOf(ann).includes('grace-period-truncates-generations'));
  assert.ok(rulesOf(ann).includes('missing-prestop-drain'));
  const podAnn = vllm().replace('  template:\n', '  template:\n    metadata:\n      annotations:\n        ignore-check.servelint.io/missing-prestop-drain: ""\n');
  assert.ok(!rulesOf(podAnn).includes('missing-prestop-drain'));
  const nextLine = vllm().replace('        - name: server', '        # servelint-disable-next-line grace-period-truncates-generations, missing-prestop-drain, server-drain-disabled\n        - name: server');
  assert.deepEqual(rulesOf(nextLine), []);
  const onlyOne = vllm().replace('        - name: server', '        # servelint-disable-next-line missing-prestop-drain\n        - name: server');
  assert.deepEqual(rulesOf(onlyOne), ['grace-period-truncates-generations']);
  const block = `# servelint-disable grace-period-truncates-generations\n${vllm()}---\n${vllm().replace('name: llm', 'name: llm2')}`;
  assert.deepEqual(rulesOf(block), ['missing-prestop-drain', 'grace-period-truncates-generations', 'missing-prestop-drain']);
});

test('config: severities and off', () => {
  const cfg = { rules: { 'missing-prestop-drain': 'off' as const, 'server-drain-disabled': 'off' as const, 'grace-period-truncates-generations': 'warning' as const } };
  const f = findings(vllm(), cfg);
  assert.deepEqual(f.map((x) => [x.rule, x.severity]), [[SINGLE_POD_NOTE, 'info'], ['grace-period-truncates-generations', 'warning']]);
});

test('multi-document input: invalid YAML is reported where it is and the other documents are analysed', () => {
  const t = `${vllm()}---\nkind: Deployment\n  bad: [indent\n---\n${vllm().replace('name: llm', 'name: b')}`;
  const f = findings(t);
  const invalid = f.filter((x) => x.rule === 'invalid-yaml');
  assert.equal(invalid.length, 1);
  assert.equal(invalid[0]!.severity, 'error');
  assert.ok(invalid[0]!.line >= 16 && invalid[0]!.line <= 18, String(invalid[0]!.line));
  assert.equal(f.filter((x) => x.rule === 'grace-period-truncates-generations').length, 2);
});

test('kind: List items, Rollout workloadRef to a Deployment, HPA min/max', () => {
  const list = `apiVersion: v1\nkind: List\nitems:\n${vllm().replace(/^/gm, '  ').replace(/^  apiVersion/m, '- apiVersion')}`;
  assert.equal(run(list).workloads.length, 1);
  const deploy = vllm().replace('replicas: 1', 'replicas: 0');
  const ref = yaml`
    apiVersion: argoproj.io/v1alpha1
    kind: Rollout
    metadata: {name: llm-rollout}
    spec:
      replicas: 6
      workloadRef: {apiVersion: apps/v1, kind: Deployment, name: llm}
      strategy:
        canary:
          steps: [{setWeight: 20}, {pause: {}}]
  `;
  const hpa = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: llm-rollout}\n  minReplicas: 6\n  maxReplicas: 12\n';
  const r = run(`${deploy}---\n${ref}---\n${hpa}`);
  assert.deepEqual(r.workloads.map((w) => [w.object.kind, w.object.name]), [['Rollout', 'llm-rollout']]);
  assert.equal(r.workloads[0]!.cost?.replicasMax, 12);
  const rules = r.findings.map((f) => f.rule);
  assert.ok(rules.includes('canary-without-analysis'));
  assert.ok(rules.includes('grace-period-truncates-generations'));
  assert.ok(rules.includes('rollout-drops-capacity'));
});

test('per-document cache: an edit in one document re-analyses only that document', () => {
  const docs = Array.from({ length: 20 }, (_, i) => vllm().replace('name: llm', `name: llm-${i}`));
  const linter = createLinter();
  const first = linter.lint(docs.join('---\n'));
  assert.equal(linter.cacheSize, 20);
  docs[7] = docs[7]!.replace('replicas: 1', 'replicas: 3');
  const second = linter.lint(docs.join('---\n'));
  assert.equal(linter.cacheSize, 21, 'exactly one new document parsed');
  assert.equal(second.findings.length, first.findings.length);
  // Offsets of later documents moved, and findings follow them.
  const text = docs.join('---\n');
  for (const f of second.findings) assert.ok(['server', 'replicas'].includes(text.slice(f.range.start, f.range.end)));
});

test('per-document cache: bounded by size, yet a file of 2,500 documents still re-parses only the edited one', () => {
  const many = Array.from({ length: 2500 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\ndata: {k: v}\n`);
  const linter = createLinter();
  linter.lint(many.join('---\n'));
  assert.equal(linter.parseCount, 2500);
  many[1234] = many[1234]!.replace('k: v', 'k: w');
  linter.lint(many.join('---\n'));
  assert.equal(linter.parseCount, 2501, 'one new parse for one edited document');
  // Editing a 2 MB document over and over keeps at most a few versions of it (the cache is bounded by text size).
  const big = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n${'  k: ' + 'x'.repeat(2_000_000)}\n`;
  const editor = createLinter();
  for (let i = 0; i < 12; i++) editor.lint(big.replace('name: big', `name: big${i}`));
  assert.ok(editor.cachedChars <= 2 * 1024 * 1024 + big.length, String(editor.cachedChars));
  assert.ok(editor.cacheSize <= 2, String(editor.cacheSize));
});

test('splitDocuments keeps offsets and handles --- markers with comments', () => {
  const chunks = splitDocuments('a: 1\n--- # two\nb: 2\n...\nc: 3\n');
  assert.deepEqual(chunks.map((c) => [c.base, c.text]), [[0, 'a: 1\n'], [5, '--- # two\nb: 2\n...\n'], [24, 'c: 3\n']]);
});

test('bad input never throws: empty, binary, wrong types, alias bombs, huge files', () => {
  const inputs = [
    '',
    '\u0000\u0001\u0002\uFFFD\u0007binary\u0000',
    vllm().replace('replicas: 1', 'replicas: "four"'),
    vllm().replace('nvidia.com/gpu: 1', 'nvidia.com/gpu: [1]'),
    'apiVersion: apps/v1\nkind: Deployment\nspec: 7\n',
    'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers: {a: 1}\n',
    'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n',
    '- [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
    'key: "unterminated',
  ];
  for (const t of inputs) assert.doesNotThrow(() => run(t), JSON.stringify(t.slice(0, 40)));
  // The alias bomb and an unresolved alias: test/rules/invalid-yaml.
  const four = run(inputs[2]!);
  assert.equal(four.workloads[0]?.replicas, null);
  // 5 MB: a large ConfigMap between 200 workloads.
  const line = '    key-0000: ' + 'x'.repeat(100) + '\n';
  const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n' + Array.from({ length: 45_000 }, (_, i) => line.replace('0000', String(i))).join('');
  const workloads = Array.from({ length: 200 }, (_, i) => vllm().replace('name: llm', `name: llm-${i}`));
  const big = [...workloads.slice(0, 100), configMap, ...workloads.slice(100)].join('---\n');
  assert.ok(big.length > 5_000_000, String(big.length));
  const r = run(big);
  assert.equal(r.workloads.length, 200);
  // The 5 MB ConfigMap is one document over the API server's 3 MiB limit: reported on its first line, not parsed.
  const tooLarge = r.findings.filter((f) => f.rule === 'document-too-large').map((f) => located(big, f));
  assert.equal(tooLarge.length, 1);
  assert.equal(tooLarge[0]!.text, 'apiVersion: v1');
  assert.match(tooLarge[0]!.message, /^This YAML document is 5\.0 MiB: not analysed \(the limit is 3\.0 MiB/);
  assert.equal(tooLarge[0]!.severity, 'warning');
});

test('model from `serve <model>` args of the vLLM image, from a NIM image and from NIM env', () => {
  const serve = vllm().replace('          resources:', '          args: ["serve", "Qwen/Qwen3-8B", "--tensor-parallel-size=1"]\n          resources:');
  assert.equal(run(serve).workloads[0]!.model, 'Qwen/Qwen3-8B');
  const nim = vllm().replace('vllm/vllm-openai:v0.6.3', 'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.1.0');
  const r = run(nim);
  assert.equal(r.workloads[0]!.modelServer, 'nim');
  assert.equal(r.workloads[0]!.model, 'meta/llama-3.1-8b-instruct');
  const h = r.workloads[0]!.hovers.find((x) => x.topic === 'model')!;
  assert.equal(nim.slice(h.range.start, h.range.end), 'meta/llama-3.1-8b-instruct');
  const generic = vllm()
    .replace('vllm/vllm-openai:v0.6.3', 'nvcr.io/nim/nvidia/llm-nim:1.14')
    .replace('          resources:', '          env:\n            - {name: NIM_MODEL_NAME, value: "hf://google/gemma-3-27b-it"}\n          resources:');
  assert.equal(run(generic).workloads[0]!.model, 'google/gemma-3-27b-it');
});

test('the engine and rules are pure: no fs, child_process, LSP or vscode imports', () => {
  const root = path.resolve(__dirname, '../../../server/src');
  const files = ['engine', 'rules'].flatMap((d) => {
    const walk = (p: string): string[] =>
      fs.statSync(p).isDirectory() ? fs.readdirSync(p).flatMap((e) => walk(path.join(p, e))) : p.endsWith('.ts') ? [p] : [];
    return walk(path.join(root, d));
  });
  assert.ok(files.length > 30);
  for (const f of files) {
    const imports = [...fs.readFileSync(f, 'utf8').matchAll(/from '([^']+)'|require\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]);
    for (const i of imports) assert.ok(!/^(fs|path|child_process|os|net|http|https|vscode|vscode-languageserver.*)$/.test(i ?? ''), `${path.relative(root, f)} imports ${i}`);
  }
});

test('envFrom ConfigMaps in the same input feed the server environment; env wins; edits to the ConfigMap re-analyse', () => {
  const cm = (model: string, total: string): string =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tgi-config}\ndata:\n  MODEL_ID: "${model}"\n  MAX_TOTAL_TOKENS: "${total}"\n`;
  const deploy = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: tgi}
    spec:
      template:
        spec:
          containers:
            - name: tgi
              image: ghcr.io/huggingface/text-generation-inference:2.4.0
              envFrom:
                - configMapRef: {name: tgi-config}
                - configMapRef: {name: other}
                  prefix: X_
              resources: {limits: {nvidia.com/gpu: 1}}
              readinessProbe: {httpGet: {path: /health, port: 80}}
  `;
  const linter = createLinter();
  const first = linter.lint(`${cm('Qwen/Qwen2.5-7B-Instruct', '2048')}---\n${deploy}`);
  assert.equal(first.workloads[0]!.model, 'Qwen/Qwen2.5-7B-Instruct');
  assert.match(first.findings.find((f) => f.rule === 'grace-period-truncates-generations')!.message, /a 2047-token answer \(max total tokens 2048/);
  // The ConfigMap changes: the cached workload is analysed again with the new values.
  const second = linter.lint(`${cm('meta-llama/Llama-3.1-8B-Instruct', '512')}---\n${deploy}`);
  assert.equal(second.workloads[0]!.model, 'meta-llama/Llama-3.1-8B-Instruct');
  assert.ok(!second.findings.some((f) => f.rule === 'grace-period-truncates-generations'), '0.5 + 511 × 0.03 = 15.8 s fits in 30 s');
  // The container's own env beats the ConfigMap; without the ConfigMap nothing is resolved.
  const own = deploy.replace(/^( +)envFrom:/m, '$1env: [{name: MODEL_ID, value: google/gemma-2-9b-it}]\n$1envFrom:');
  assert.notEqual(own, deploy);
  assert.equal(linter.lint(`${cm('Qwen/Qwen2.5-7B-Instruct', '2048')}---\n${own}`).workloads[0]!.model, 'google/gemma-2-9b-it');
  assert.equal(linter.lint(deploy).workloads[0]!.model, null);
  // A prefix applies to every key of that ConfigMap.
  const prefixed = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\ndata: {MODEL_ID: "should-not-be-used"}\n---\n${deploy}`;
  assert.equal(linter.lint(prefixed).workloads[0]!.model, null);
});

test('a Kustomize patch (containers without an image) is not analysed on its own', () => {
  const patch = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: vllm}
    spec:
      template:
        spec:
          containers:
            - name: inference-server
              args: ["--model=google/gemma-7b-AWQ", "--quantization=awq"]
              resources: {limits: {nvidia.com/gpu: 1}}
  `;
  const r = run(patch);
  assert.deepEqual(r.findings, []);
  assert.equal(r.workloads.length, 0);
  // The same container with its image is a workload.
  const full = patch.replace(/^( *)- name: inference-server$/m, '$1- name: inference-server\n$1  image: vllm/vllm-openai:v0.6.3');
  assert.notEqual(full, patch);
  assert.equal(run(full).workloads.length, 1);
});

test('JetStream (MaxText key=value args, PyTorch --model_id) is a model server; jetstream-http is not', () => {
  const maxtext = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: maxengine}
    spec:
      template:
        spec:
          containers:
            - name: maxengine
              image: us-docker.pkg.dev/cloud-tpu-images/inference/maxengine-server:v0.2.2
              args: ["MaxText/configs/base.yml", "model_name=gemma-7b", "max_prefill_predict_length=1024", "max_target_length=2048", "quantization=int8"]
              resources: {limits: {google.com/tpu: 8}}
            - name: jetstream-http
              image: us-docker.pkg.dev/cloud-tpu-images/inference/jetstream-http:v0.2.3
  `;
  // maxengine-server is only found by its TPU; rename the image to the JetStream MaxText one.
  const t = maxtext.replace('maxengine-server:v0.2.2', 'jetstream-maxtext:v0.2.2');
  const r = run(t);
  const w = r.workloads[0]!;
  assert.equal(w.modelServer, 'jetstream');
  assert.equal(w.model, 'gemma-7b');
  const h = w.hovers.find((x) => x.topic === 'model')!;
  assert.equal(t.slice(h.range.start, h.range.end), 'gemma-7b');
  const grace = r.findings.find((f) => f.rule === 'grace-period-truncates-generations')!;
  assert.match(grace.message, /a 2047-token answer \(context limit 2048 set on the server/);
  // Only the engine is a server: the HTTP front end holds no model.
  assert.deepEqual([...new Set(r.findings.filter((f) => f.rule !== SINGLE_POD_NOTE).map((f) => t.slice(f.range.start, f.range.end)))], ['maxengine']);
  const pytorch = t.replace('jetstream-maxtext:v0.2.2', 'jetstream-pytorch-server:v0.2.4')
    .replace(/args: \[.*\]/, 'args: ["--model_id=meta-llama/Meta-Llama-3-8B", "--override_batch_size=30"]');
  assert.equal(run(pytorch).workloads[0]!.model, 'meta-llama/Meta-Llama-3-8B');
});

test('fix-all: every fixable finding of a 300-document file is fixed (one fix per document per round), none left', () => {
  const docs = Array.from({ length: 300 }, (_, i) => vllm().replace('name: llm', `name: llm-${i}`).replace('replicas: 1', 'replicas: 4'));
  const text = docs.join('---\n');
  const linter = createLinter();
  const lint = (t: string) => linter.lint(t);
  const before = lint(text).findings.filter((f) => preferredFix(f));
  assert.ok(before.length >= 600, String(before.length));
  const { text: fixed, applied } = applyAllFixes(text, lint);
  assert.ok(applied.length >= before.length, `${applied.length} of ${before.length}`);
  assert.deepEqual(lint(fixed).findings.filter((f) => preferredFix(f)), []);
  assert.equal(lint(fixed).workloads.length, 300);
});

test('CRLF manifests: every fix keeps CRLF line endings and clears its finding', () => {
  for (const file of ['vllm-default-grace.yaml', 'tgi-recreate.yaml', 'rollout-canary.yaml']) {
    const crlf = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'examples', file), 'utf8').replace(/\r?\n/g, '\r\n');
    const before = run(crlf).findings;
    for (const f of before) {
      for (const fix of f.fixes ?? []) {
        const after = applyEdits(crlf, fix.edits);
        assert.ok(!/[^\r]\n/.test(after), `${file} ${f.rule}: "${fix.title}" left a bare LF`);
        assert.ok(!/\r\r/.test(after), `${file} ${f.rule}: "${fix.title}" doubled a CR`);
        if (fix.isPreferred) assert.ok(run(after).findings.filter((x) => x.rule === f.rule).length < before.filter((x) => x.rule === f.rule).length, `${file}: ${f.rule} not cleared`);
      }
    }
  }
});

test('a maxSurge larger than the replicas surges at most the replicas (1e+308 gave Infinity GPUs and $)', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: m}
spec:
  replicas: 3
  strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1e+308}}
  template:
    spec:
      nodeSelector: {cloud.google.com/gke-accelerator: nvidia-l4}
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          args: ["--model", "Qwen/Qwen2.5-7B-Instruct"]
          resources: {limits: {nvidia.com/gpu: 1}}
`;
  const w = createLinter().lint(text).workloads[0]!;
  assert.equal(w.rollout?.surgeGpus, 3);
  const surgeUsd = (w.cost as { rollout?: { surgeUsd?: number } } | undefined)?.rollout?.surgeUsd;
  assert.ok(surgeUsd === undefined || Number.isFinite(surgeUsd), `surgeUsd ${surgeUsd}`);
  assert.doesNotMatch(w.rollout?.summary ?? '', /Infinity|e\+/);
});

test('insertIntoMap: a one-entry block whose key the map has replaces an entry with nothing usable under it, never duplicates a key', () => {
  const edit = (text: string, block: string): string | undefined => {
    const ref: DocModelRef = { base: 0, doc: parseDocument(text), text };
    const e = insertIntoMap(ref, ref.doc.contents as YAMLMap, block);
    return e ? applyEdits(text, [{ start: e.loc.start, end: e.loc.end, newText: e.newText }]) : undefined;
  };
  assert.equal(edit('a: 1\nb: 2\n', 'c:\n  d: 3'), 'a: 1\nb: 2\nc:\n  d: 3\n');
  assert.equal(edit('a: 1\nc:\nb: 2\n', 'c:\n  d: 3'), 'a: 1\nc:\n  d: 3\nb: 2\n');
  assert.equal(edit('a: 1\nc: []\n', 'c:\n  - x'), 'a: 1\nc:\n  - x\n');
  assert.equal(edit('a: 1\nc: oops\n', 'c: 4'), 'a: 1\nc: 4\n');
  // Content under the key, or a flow map: no edit (the content would be lost, or the block cannot go there).
  assert.equal(edit('a: 1\nc:\n  e: 5\n', 'c:\n  d: 3'), undefined);
  assert.equal(edit('{a: 1, c: }\n', 'c: 4'), undefined);
  // Blocks of several entries insert as before (callers pass keys the map lacks).
  assert.equal(edit('a: 1\n', 'b: 2\nc: 3'), 'a: 1\nb: 2\nc: 3\n');
});
