/**
 * What `npm pack` and `npm publish` put in front of a consumer: a package never packs without
 * its compiled entry points or with a `dist/` older than its sources (each package's `prepack`
 * runs tools/release/check-packable.js), and every tarball carries a README and what the
 * package needs at run time, never its TypeScript sources or tests.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

function npm(args: readonly string[], cwd: string): { code: number | null; output: string; stdout: string } {
  const result = spawnSync('npm', [...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return { code: result.status, output: `${result.stdout}\n${result.stderr}`, stdout: result.stdout };
}

/** The files `npm pack` would put in the package's tarball, without running its scripts. */
function tarballFiles(packageDir: string): string[] {
  const { code, stdout, output } = npm(['pack', '--dry-run', '--json', '--ignore-scripts'], packageDir);
  if (code !== 0) throw new Error(`npm pack --dry-run in ${packageDir} failed:\n${output}`);
  return (JSON.parse(stdout) as { files: { path: string }[] }[])[0].files.map((file) => file.path).sort();
}

describe('prepack refuses a package that is not built, or built before its last change', () => {
  let work: string;
  let pkg: string;
  const pack = () => npm(['pack', '--pack-destination', work], pkg);
  const tarballs = () => fs.readdirSync(work).filter((file) => file.endsWith('.tgz'));

  beforeAll(() => {
    // A copy of @core-infra/testing laid out as in the repository, so its prepack script finds
    // the checker at ../../tools/release, with no dist/ at all.
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'core-pack-'));
    pkg = path.join(work, 'packages', 'testing');
    fs.cpSync(path.join(root, 'packages', 'testing'), pkg, { recursive: true, filter: (source) => !/[/\\](dist|node_modules|\.test-results)$/.test(source) });
    fs.mkdirSync(path.join(work, 'tools', 'release'), { recursive: true });
    fs.copyFileSync(path.join(root, 'tools/release/check-packable.js'), path.join(work, 'tools/release/check-packable.js'));
  });

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('GIVEN no dist/ THEN npm pack exits non-zero, names each missing entry point and the fix, and writes no tarball', () => {
    const { code, output } = pack();
    expect(code).not.toBe(0);
    expect(output).toContain('@core-infra/testing cannot be packed:');
    expect(output).toContain('dist/index.js (package.json "main") does not exist');
    expect(output).toContain('dist/setup.js (package.json "exports["./setup"]["default"]") does not exist');
    expect(output).toContain('npm run build');
    expect(tarballs()).toEqual([]);
  });

  test('GIVEN every entry point compiled after the last source change THEN it packs, README included', () => {
    const past = new Date(Date.now() - 60_000);
    for (const entry of fs.readdirSync(path.join(pkg, 'src'), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) fs.utimesSync(path.join(entry.parentPath, entry.name), past, past);
    }
    fs.mkdirSync(path.join(pkg, 'dist'));
    for (const file of ['index.js', 'index.d.ts', 'setup.js', 'setup.d.ts']) fs.writeFileSync(path.join(pkg, 'dist', file), '');
    const { code, output } = pack();
    expect({ code, output }).toEqual({ code: 0, output: expect.any(String) });
    expect(tarballs()).toEqual(['core-infra-testing-0.1.0.tgz'.replace('0.1.0', JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version)]);
    fs.rmSync(path.join(work, tarballs()[0]));
  });

  test('GIVEN a source edited after the build THEN npm pack refuses and names that source', () => {
    fs.appendFileSync(path.join(pkg, 'src', 'stacks.ts'), '\n');
    const { code, output } = pack();
    expect(code).not.toBe(0);
    expect(output).toContain(`${path.join('src', 'stacks.ts')} changed after the last build (dist/ is older than its sources)`);
    expect(tarballs()).toEqual([]);
  });
});

describe('tarball contents of the four packages', () => {
  const PACKAGES: Record<string, { readonly required: readonly string[] }> = {
    constructs: { required: ['README.md', 'package.json', 'assets/alert-notifier/index.js', 'docs/deployment-state-store.md'] },
    policies: { required: ['README.md', 'package.json', 'bin/core-policies.js', 'feature-flags.json', 'rules/s3/s3_bucket_public_access_blocked.guard'] },
    testing: { required: ['README.md', 'package.json'] },
    environments: { required: ['README.md', 'package.json', 'bin/core-deploy.js', 'schema/environment-config.schema.json'] },
  };

  test.each(Object.entries(PACKAGES))('%s: README and run-time files in, sources and tests out', (name, { required }) => {
    const files = tarballFiles(path.join(root, 'packages', name));
    expect(files).toEqual(expect.arrayContaining([...required]));
    expect(files.filter((file) => /^(src|test)\/|\.test\.|\.tsbuildinfo$|\.map$|(^|\/)tests\//.test(file))).toEqual([]);
  });

  test('each README has an install command and a code example, and links the consumer guide', () => {
    for (const name of Object.keys(PACKAGES)) {
      const readme = fs.readFileSync(path.join(root, 'packages', name, 'README.md'), 'utf8');
      expect([name, readme]).toEqual([name, expect.stringContaining(`npm install`)]);
      expect([name, readme]).toEqual([name, expect.stringMatching(/```js\n[\s\S]*require\('@core-infra\//)]);
      expect([name, readme]).toEqual([name, expect.stringContaining('docs/guides/consuming.md')]);
    }
  });
});
