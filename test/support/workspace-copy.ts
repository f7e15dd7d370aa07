import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/**
 * A fresh git repository (branch `main`, one commit) holding this workspace's files as they are
 * now, tracked and untracked, ignored ones left out, with node_modules linked to this
 * workspace's. What a fresh clone of the change under test looks like after `npm ci`.
 *
 * @param prefix name prefix of the temporary folder
 * @returns the repository's path; the caller removes it
 */
export function workspaceCopy(prefix: string): string {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const files = git(root, 'ls-files', '--cached', '--others', '--exclude-standard', '-z')
    .split('\0')
    .filter((file) => file !== '' && fs.existsSync(path.join(root, file)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(repo, file));
  }
  git(repo, 'init', '--quiet', '--initial-branch=main');
  for (const [key, value] of [['user.name', 'Workspace Copy'], ['user.email', 'workspace-copy@example.invalid'], ['commit.gpgsign', 'false'], ['tag.gpgSign', 'false']]) {
    git(repo, 'config', key, value);
  }
  linkNodeModules(repo);
  git(repo, 'add', '--all');
  git(repo, 'commit', '--quiet', '--message', 'chore: workspace snapshot');
  return repo;
}

/**
 * Links this checkout's node_modules into a checkout of the repository (a copy or a clone) and
 * keeps git from seeing the link and the private Nx cache: the `node_modules/` ignore pattern
 * does not match a symlink.
 *
 * @param checkout the other checkout's root
 */
export function linkNodeModules(checkout: string): void {
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(checkout, 'node_modules'), 'dir');
  fs.appendFileSync(path.join(checkout, '.git/info/exclude'), '/node_modules\n/.nx-private-cache\n');
}

/**
 * The environment for running Nx and the CLIs in another checkout: this task's Nx and AWS
 * variables (which describe this workspace and this machine) and config selections left out,
 * Nx without daemon, cloud or TUI, no colours, then `extra`.
 *
 * @param extra variables to set, e.g. a private `NX_CACHE_DIRECTORY`
 */
export function isolatedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('NX_') && !name.startsWith('AWS_') && name !== 'CORE_CONFIG_FILE' && name !== 'CORE_REVIEW_APPS'),
  );
  return { ...inherited, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0', NO_COLOR: '1', ...extra };
}

/** Exit code and combined output of a command run in a workspace copy. */
export interface CopyRun {
  readonly code: number | null;
  readonly output: string;
}

/**
 * Runs a shell command (bash, `set -euo pipefail`) in a workspace copy with {@link isolatedEnv}
 * and a private, empty Nx cache inside the copy, so nothing replays an earlier result.
 *
 * @param copy the copy's path
 * @param command the command line
 */
export function runInCopy(copy: string, command: string): CopyRun {
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', command], { cwd: copy, env: isolatedEnv({ NX_CACHE_DIRECTORY: path.join(copy, '.nx-private-cache') }), encoding: 'utf8', timeout: 420_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/**
 * {@link runInCopy}, failing with the command and the end of its output unless it exits 0.
 *
 * @returns the output
 */
export function expectSuccessInCopy(copy: string, command: string): string {
  const { code, output } = runInCopy(copy, command);
  if (code !== 0) throw new Error(`${command}\nexited ${code}:\n${output.slice(-6000)}`);
  return output;
}
