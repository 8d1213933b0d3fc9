/**
 * Onboarding commands: "Create .servelint.yaml" (a commented starter), "Lint workspace" (the bundled CLI as a task
 * whose output the `$servelint` problem matcher reads) and "Show output". Registered from extension.ts.
 */
import * as vscode from 'vscode';
import { STARTER_CONFIG } from './starter';

export const ONBOARDING_COMMANDS = {
  createConfig: 'servelint.createConfig',
  lintWorkspace: 'servelint.lintWorkspace',
  showOutput: 'servelint.showOutput',
} as const;

/** The `servelint` task type (contributes.taskDefinitions): `paths` to lint, default the workspace folder. */
export const TASK_TYPE = 'servelint';
interface ServelintTaskDefinition extends vscode.TaskDefinition {
  paths?: string[];
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder for .servelint.yaml' });
}

/** Opens the folder's .servelint.yaml, writing the starter first when there is none. */
export async function createConfig(): Promise<vscode.Uri | undefined> {
  const folder = await pickFolder();
  if (!folder) {
    void vscode.window.showWarningMessage('servelint: open a folder first; .servelint.yaml goes at its root.');
    return undefined;
  }
  const uri = vscode.Uri.joinPath(folder.uri, '.servelint.yaml');
  let exists = true;
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    exists = false;
  }
  if (!exists) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(STARTER_CONFIG));
  await vscode.window.showTextDocument(uri, { preview: false });
  if (exists) void vscode.window.showInformationMessage('servelint: this folder already has a .servelint.yaml; opened it.');
  return uri;
}

/** The task that runs the bundled CLI (dist/cli.js) with VS Code's own Node over `paths` in `folder`. */
export function lintTask(context: vscode.ExtensionContext, folder: vscode.WorkspaceFolder, def: ServelintTaskDefinition = { type: TASK_TYPE }): vscode.Task {
  const cli = context.asAbsolutePath('dist/cli.js');
  const exec = new vscode.ProcessExecution(process.execPath, [cli, '--no-color', ...(def.paths?.length ? def.paths : ['.'])], {
    cwd: folder.uri.fsPath,
    // VS Code's executable is Electron: run it as plain Node (code-server's is Node already and ignores this).
    env: { ELECTRON_RUN_AS_NODE: '1' },
  });
  const task = new vscode.Task(def, folder, 'lint workspace', 'servelint', exec, ['$servelint']);
  task.group = vscode.TaskGroup.Test;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
  return task;
}

export function registerOnboarding(context: vscode.ExtensionContext, output: vscode.OutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(ONBOARDING_COMMANDS.createConfig, () => createConfig()),
    vscode.commands.registerCommand(ONBOARDING_COMMANDS.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(ONBOARDING_COMMANDS.lintWorkspace, async () => {
      const folder = await pickFolder();
      if (!folder) return void vscode.window.showWarningMessage('servelint: open a folder to lint.');
      return vscode.tasks.executeTask(lintTask(context, folder));
    }),
    vscode.tasks.registerTaskProvider(TASK_TYPE, {
      provideTasks: () => (vscode.workspace.workspaceFolders ?? []).map((f) => lintTask(context, f)),
      resolveTask: (task) => {
        const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
        return folder ? lintTask(context, folder, task.definition as ServelintTaskDefinition) : undefined;
      },
    }),
  ];
}
