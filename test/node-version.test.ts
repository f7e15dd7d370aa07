/**
 * A newcomer on an older Node.js: `npm ci` (through the root preinstall script) and the set-up
 * scripts stop with one line that names the fix, and every place that states the supported
 * version agrees with `.nvmrc`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const script = path.join(root, 'scripts', 'check-node.cjs');
const nvmrc = fs.readFileSync(path.join(root, '.nvmrc'), 'utf8').trim();
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devEngines: { runtime: { name: string; version: string } };
  scripts: Record<string, string>;
};

/** Runs a copy of the check beside an `.nvmrc` holding `required`. */
function checkAgainst(required: string): { code: number | null; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'core-node-check-'));
  try {
    fs.mkdirSync(path.join(dir, 'scripts'));
    fs.copyFileSync(script, path.join(dir, 'scripts', 'check-node.cjs'));
    fs.writeFileSync(path.join(dir, '.nvmrc'), `${required}\n`);
    const result = spawnSync(process.execPath, [path.join(dir, 'scripts', 'check-node.cjs')], { encoding: 'utf8' });
    return { code: result.status, stderr: result.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the supported Node.js version', () => {
  test('engines and devEngines state the major version of .nvmrc', () => {
    expect({ engines: manifest.engines.node, devEngines: manifest.devEngines.runtime }).toEqual({
      engines: `>=${nvmrc}`,
      devEngines: expect.objectContaining({ name: 'node', version: `>=${nvmrc}` }),
    });
  });

  test('npm ci and the two set-up scripts run the check first', () => {
    expect(manifest.scripts.preinstall).toBe('node scripts/check-node.cjs');
    for (const name of ['validate', 'test']) expect([name, manifest.scripts[name].startsWith('node scripts/check-node.cjs && ')]).toEqual([name, true]);
  });

  test('passes silently on this Node.js', () => {
    expect(checkAgainst(nvmrc)).toEqual({ code: 0, stderr: '' });
  });

  test('an older Node.js stops with one line naming the version, .nvmrc and the fix', () => {
    const { code, stderr } = checkAgainst('999');
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`Node.js ${process.version} is older than 999 (.nvmrc)`);
    expect(stderr).toContain('nvm use');
    expect(stderr).toContain('bash .ci/run');
  });

  test('an unreadable .nvmrc is named, not mistaken for a version', () => {
    const { code, stderr } = checkAgainst('lts/latest');
    expect(code).toBe(1);
    expect(stderr).toContain('.nvmrc must hold a Node.js major version such as 24, got "lts/latest"');
  });
});
