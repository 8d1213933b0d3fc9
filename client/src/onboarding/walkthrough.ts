/**
 * The walkthrough's "Open an example" (an untitled copy of media/walkthrough/example.yaml: nothing is written to the
 * workspace) and the recommendation of the Red Hat YAML extension, asked once when a .servelint.yaml is opened
 * without it. A recommendation, not extensionDependencies: a hard dependency makes installing servelint fail where
 * the YAML extension cannot be fetched (offline, air-gapped, a marketplace without it), and linting needs nothing
 * from it; only completion and validation inside .servelint.yaml do.
 */
import * as vscode from 'vscode';

export const OPEN_EXAMPLE = 'servelint.openExample';
const YAML_EXTENSION = 'redhat.vscode-yaml';
const DONT_ASK = 'servelint.yamlRecommendation.dismissed';

export async function openExample(context: vscode.ExtensionContext): Promise<void> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'media', 'walkthrough', 'example.yaml'));
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: new TextDecoder().decode(bytes) });
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One });
}

function maybeRecommendYaml(context: vscode.ExtensionContext, doc: vscode.TextDocument): void {
  if (!/(^|[\\/])\.servelint\.ya?ml$/.test(doc.uri.path)) return;
  if (vscode.extensions.getExtension(YAML_EXTENSION) || context.globalState.get(DONT_ASK)) return;
  void context.globalState.update(DONT_ASK, true); // once, whatever the answer
  void vscode.window
    .showInformationMessage('servelint: install the Red Hat YAML extension for completion and validation in .servelint.yaml (servelint contributes the schema).', 'Install', 'Not now')
    .then((choice) => (choice === 'Install' ? vscode.commands.executeCommand('workbench.extensions.installExtension', YAML_EXTENSION) : undefined));
}

export function registerWalkthrough(context: vscode.ExtensionContext): vscode.Disposable[] {
  for (const doc of vscode.workspace.textDocuments) maybeRecommendYaml(context, doc);
  return [
    vscode.commands.registerCommand(OPEN_EXAMPLE, () => openExample(context)),
    vscode.workspace.onDidOpenTextDocument((doc) => maybeRecommendYaml(context, doc)),
  ];
}
