/** The cost view's webview page (client/media/costView) and its host (client/src/costView/panel.ts): strict CSP, nothing remote, shipped. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const read = (p: string): string => fs.readFileSync(path.join(ROOT, p), 'utf8');

it('the cost view page has a strict CSP with a nonce, loads nothing remote and never parses HTML from data', () => {
  const panel = read('client/src/costView/panel.ts');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(panel)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-\$\{n\}'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*/);
  assert.match(panel, /<script nonce="\$\{n\}" src=/);
  assert.match(panel, /localResourceRoots: \[media\]/);
  // Codicons are bundled (font and stylesheet from the extension), and small enough for the .vsix.
  assert.ok(fs.statSync(path.join(ROOT, 'client/media/costView/codicons/codicon.ttf')).size < 200_000);
  assert.match(read('client/media/costView/codicons/codicon.css'), /src: url\("\.\/codicon\.ttf/);
  const dir = path.join(ROOT, 'client/media/costView');
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.(js|css)$/.test(f));
  assert.deepEqual(files.sort(), ['codicons/codicon.css', 'main.css', 'main.js']);
  for (const file of files) {
    const text = read(`client/media/costView/${file}`);
    // The SVG namespace is an identifier, not a resource.
    assert.deepEqual(text.match(/https?:\/\/(?!www\.w3\.org\/2000\/svg)[^\s'")]+/g), null, `${file} refers to a remote resource`);
    assert.doesNotMatch(text, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/, `${file}: build DOM nodes, not HTML strings`);
    assert.doesNotMatch(text, /webview-ui-toolkit|['"<]vscode-(?:button|dropdown|text-field|data-grid)/, `${file}: the webview UI toolkit is deprecated`);
  }
  assert.match(read('client/.vscodeignore'), /^!media\/costView\/\*\*$/m, 'the page ships in the .vsix');
});
