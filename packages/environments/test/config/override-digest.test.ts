// An override file used through Nx is hashed by content: editing it changes the runtime input of
// synth, validate and check-stateful, so Nx runs them again instead of replaying the cache.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../../..');
const SCRIPT = 'packages/environments/scripts/config-override-digest.js';

function digest(file?: string): string {
  const env = { ...process.env };
  if (file === undefined) delete env.CORE_CONFIG_FILE;
  else env.CORE_CONFIG_FILE = file;
  const result = spawnSync(process.execPath, [SCRIPT], { cwd: root, env, encoding: 'utf8' });
  expect(result.status).toBe(0);
  return result.stdout;
}

test('the digest follows the content of the file CORE_CONFIG_FILE names, not only its name', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'override-')), 'prod.yaml');
  writeFileSync(file, 'account: "111122223333"\n');
  const before = digest(file);
  writeFileSync(file, 'account: "444455556666"\n');
  const after = digest(file);
  expect(before).toMatch(/ [0-9a-f]{64}\n$/);
  expect(after).not.toBe(before);
  expect(digest()).toBe('no override\n');
});

test('synth, validate and check-stateful hash it as a runtime input', () => {
  const { targetDefaults } = JSON.parse(readFileSync(path.join(root, 'nx.json'), 'utf8')) as { targetDefaults: Record<string, { inputs: unknown[] }> };
  for (const target of ['synth', 'validate', 'check-stateful']) {
    expect([target, targetDefaults[target].inputs]).toEqual([target, expect.arrayContaining([{ runtime: `node ${SCRIPT}` }])]);
  }
});
