/**
 * @vscode/test-electron suite: runs inside VS Code's extension host against the development extension.
 * Scenarios come from test/e2e/scenarios.mjs (shared with the code-server and Neovim drivers); runTest.mjs
 * passes its path and a workspace with the fixtures copied in. No mocha: a tiny sequential runner.
 */
import { strict as assert } from 'assert';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as vscode from 'vscode';

type Scenario = Record<string, any>;
interface ScenarioModule {
  CONTRACT: Record<string, any>;
  scenarios: Scenario[];
  perMillionFigure(title: string): number | null;
  checkScenarios(): boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 20000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined && v !== null && v !== false) return v;
    } catch (e) {
      last = e;
    }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

function lineIndex(doc: vscode.TextDocument, contains: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(contains)) return i;
  throw new Error(`no line contains ${JSON.stringify(contains)}`);
}

async function lenses(doc: vscode.TextDocument, marker: string): Promise<vscode.CodeLens[]> {
  const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 20)) ?? [];
  return all.filter((l) => l.command?.title.includes(marker));
}

async function runScenario(m: ScenarioModule, s: Scenario, doc: vscode.TextDocument, editor: vscode.TextEditor): Promise<void> {
  const C = m.CONTRACT;
  if (s.expectDiagnostic) {
    const want = s.expectDiagnostic;
    const d = await until(`diagnostic ${want.code}`, () =>
      vscode.languages.getDiagnostics(doc.uri).find((x) => (typeof x.code === 'object' ? x.code.value : x.code) === want.code));
    assert.equal(d.source, want.source);
    assert.equal(d.range.start.line, want.line - 1);
  }
  if (s.expectCodeLens) {
    const want = s.expectCodeLens;
    const [l] = await until('cost CodeLens', async () => ((await lenses(doc, want.titleContains)).length ? lenses(doc, want.titleContains) : undefined));
    assert.equal(l!.range.start.line, lineIndex(doc, want.lineContains));
    assert.equal(l!.command?.command, want.command);
  }
  if (s.clickCodeLens) {
    const [l] = await until('cost CodeLens', async () => ((await lenses(doc, s.clickCodeLens.titleContains)).length ? lenses(doc, s.clickCodeLens.titleContains) : undefined));
    await vscode.commands.executeCommand(l!.command!.command, ...(l!.command!.arguments ?? []));
    // The cost view: a webview tab (not a dirty untitled editor).
    const opened = await until('cost view tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && s.clickCodeLens.opensTitle.test(t.label)));
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.isUntitled && d.isDirty), 'no dirty untitled editor');
    await vscode.window.tabGroups.close(opened);
    await vscode.window.showTextDocument(doc);
  }
  if (s.hover) {
    const line = lineIndex(doc, s.hover.lineContains);
    const pos = new vscode.Position(line, doc.lineAt(line).text.indexOf(s.hover.word) + 1);
    const text = await until('hover', async () => {
      const hs = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos)) ?? [];
      const t = hs.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return s.hover.matches.test(t) ? t : undefined;
    });
    assert.match(text, s.hover.matches);
  }
  if (s.quickFix) {
    const q = s.quickFix;
    const line = lineIndex(doc, q.atLineContaining);
    const d = vscode.languages.getDiagnostics(doc.uri).find((x) => (typeof x.code === 'object' ? x.code.value : x.code) === q.code);
    assert.ok(d, `diagnostic ${q.code}`);
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    const fix = actions.find((a) => a.title.startsWith(q.titleStartsWith));
    assert.ok(fix?.edit, `quick fix "${q.titleStartsWith}…" among ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.ok(doc.getText().split('\n').some((l) => q.expectLineAfter.test(l)));
    if (q.diagnosticGone) {
      await until('diagnostic gone', () => !vscode.languages.getDiagnostics(doc.uri).some((x) => (typeof x.code === 'object' ? x.code.value : x.code) === q.code));
    }
    void line;
  }
  if (s.edit || s.setting) {
    const marker = s.expectCodeLensChanges.titleContains;
    const before = (await until('cost CodeLens', async () => (await lenses(doc, marker))[0]))?.command?.title ?? '';
    if (s.edit) {
      const line = lineIndex(doc, s.edit.lineContains);
      const col = doc.lineAt(line).text.lastIndexOf(s.edit.from);
      await editor.edit((b) => b.replace(new vscode.Range(line, col, line, col + s.edit.from.length), s.edit.to));
    } else {
      const [section, ...rest] = String(s.setting.key).split('.');
      await vscode.workspace.getConfiguration(section).update(rest.join('.'), s.setting.value, vscode.ConfigurationTarget.Workspace);
    }
    const after = await until('CodeLens change', async () => {
      const t = (await lenses(doc, marker))[0]?.command?.title;
      return t && t !== before ? t : undefined;
    });
    if (s.expectCodeLensChanges.perMillionFigureChanges) assert.notEqual(m.perMillionFigure(after), m.perMillionFigure(before));
    void C;
  }
}

export async function run(): Promise<void> {
  const scenariosPath = process.env.SERVELINT_SCENARIOS;
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(scenariosPath && workspace, 'SERVELINT_SCENARIOS and a workspace folder are set by runTest.mjs');
  // A real ESM import (esbuild would turn `import()` into require(), which cannot load .mjs).
  const esmImport = new Function('u', 'return import(u)') as (u: string) => Promise<unknown>;
  const m = (await esmImport(pathToFileURL(scenariosPath).href)) as ScenarioModule;
  m.checkScenarios();
  const ext = vscode.extensions.getExtension('servelint.servelint');
  assert.ok(ext, 'extension servelint.servelint is installed');
  const failures: string[] = [];
  const docs = new Map<string, vscode.TextDocument>();
  for (const s of m.scenarios) {
    const t0 = Date.now();
    try {
      let doc = docs.get(s.file);
      if (!doc) {
        doc = await vscode.workspace.openTextDocument(path.join(workspace, s.file));
        docs.set(s.file, doc);
      }
      const editor = await vscode.window.showTextDocument(doc);
      if (!ext.isActive) await until('activation', () => ext.isActive);
      await runScenario(m, s, doc, editor);
      console.log(`  ok ${s.id} (${Date.now() - t0} ms)`);
    } catch (e) {
      failures.push(`${s.id}: ${e instanceof Error ? e.message : String(e)}`);
      console.log(`  FAIL ${s.id}: ${String(e)}`);
    }
  }
  if (failures.length) throw new Error(`${failures.length} scenario(s) failed:\n${failures.join('\n')}`);
}
