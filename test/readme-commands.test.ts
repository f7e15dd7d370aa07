/**
 * Every command in the README's commands table works on a fresh clone: the test reads the table,
 * and each command must have an entry below saying how it is exercised. Most run here, in order,
 * in a fresh copy of the workspace (the change under test, node_modules linked, a private and
 * empty Nx cache, so nothing replays an earlier result); `<env>` is meta, the smallest app. The
 * rest name the test that runs them, or why no test can (a deploy needs an AWS account), so a
 * new row without a decision fails here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectSuccessInCopy, workspaceCopy } from './support/workspace-copy';

const root = path.resolve(__dirname, '..');

/** How one README command is exercised. */
type Exercise =
  /** Run in the fresh copy; must exit 0 and, when given, print `expect`. */
  | { readonly run: string; readonly expect?: RegExp }
  /** Run by another test, which must contain `literal`. */
  | { readonly testedBy: string; readonly literal: string }
  /** Not runnable in a test, and why. */
  | { readonly notRun: string };

/** Keyed by the command exactly as the README's first column writes it; in run order. */
const EXERCISES: Record<string, Exercise> = {
  'npm run validate': { run: 'npm run validate', expect: /Successfully ran target validate for 4 projects/ },
  'npm test': { notRun: 'it is the command that runs this test; CI runs it on a clean clone (.ci/run)' },
  'npm run build': { run: 'npm run build && test -f packages/constructs/dist/index.js && test -f packages/environments/dist/index.js', expect: /Successfully ran target build for 4 projects/ },
  'npm run docs': { testedBy: 'test/docs.test.ts', literal: "spawnSync('npm', ['run', 'docs']" },
  'npx http-server docs/reference': { notRun: 'it downloads http-server on first use and serves until stopped; test/docs.test.ts builds and checks the site it serves' },
  'npm run bench': { run: 'npm run bench -- --help', expect: /--quick/ },
  'npx nx affected -t synth validate check-stateful': { run: 'npx nx affected -t synth validate check-stateful --base=HEAD --head=HEAD' },
  'npx nx run <env>:synth': { run: 'npx nx run meta:synth && test -f apps/meta/cdk.out/manifest.json' },
  'npx nx run <env>:check-stateful': { run: 'npx nx run meta:check-stateful' },
  'npx nx run <env>:diff': { run: 'npx nx run meta:diff && grep -q "^## meta" apps/meta/reports/change-summary.md' },
  'npx nx run <env>:baseline': { run: 'npx nx run meta:baseline && git diff --exit-code -- apps/meta/baseline', expect: /Successfully ran target baseline/ },
  'npx nx run <env>:plan': { run: 'npx nx run meta:plan', expect: /cdk deploy --app/ },
  'npx nx run <env>:deploy': { notRun: 'it deploys to AWS with the deployment role; its dry run is <env>:plan, run here, and packages/environments/test/deploy runs the deploy with an injected CDK runner' },
  'npx nx run dev:deploy -- --review-app <N>': { notRun: 'it deploys a review app to the dev account; packages/environments/test/deploy covers review-app deploys with an injected CDK runner' },
  'npx nx run dev:teardown-review-app -- --review-app <N>': { notRun: 'it destroys a review app in the dev account; packages/environments/test/deploy covers teardown with an injected CDK runner' },
  'npx core-deploy check-configs [--config ENV=FILE ...]': { run: 'npx core-deploy check-configs', expect: /are valid and fit together/ },
  'npx nx g @core-infra/environments:environment <name> --account <id> [--profile production]': { testedBy: 'test/environment-generator.test.ts', literal: 'npx nx g @core-infra/environments:environment preprod' },
  'npx core-deploy affected [--base REF --head REF]': { run: 'npx core-deploy affected --base HEAD --head HEAD' },
  'npm run registry:local [-- --port 4873]': { testedBy: 'test/publish-consume.test.ts', literal: "kind === 'registry'" },
  'npm run release:dry-run': { run: 'npm run release:dry-run', expect: /Would build and publish/ },
  'npm run release': { testedBy: 'test/release.test.ts', literal: "'--skip-publish'" },
  'npx core-policies check <cdk.out dir | template files> [--profile baseline|production] [--format text|json|sarif|junit] [--report-dir DIR] [--require-plugin] [--trusted-accounts IDS] [--allow-empty] [--no-cache] [--source-root DIR] [--debug]':
    { run: 'npx core-policies check apps/meta/cdk.out --profile baseline --require-plugin --trusted-accounts=$(npx core-deploy trusted-accounts --env meta) --format text', expect: /^PASSED/m },
  'npx core-policies diff --baseline <dir> --assembly <cdk.out dir>': { run: 'npx core-policies diff --baseline apps/meta/baseline --assembly apps/meta/cdk.out' },
};

/** The commands of the README's commands table: each `npm …`/`npx …` code span of the first column. */
function readmeCommands(readme: string): string[] {
  const section = readme.slice(readme.indexOf('## Commands'), readme.indexOf('\n## ', readme.indexOf('## Commands') + 1));
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => {
    const first = row.split(/(?<!\\)\|/)[1];
    return [...first.matchAll(/`([^`]+)`/g)].map((match) => match[1].replaceAll('\\|', '|')).filter((command) => /^np[mx] /.test(command));
  });
}

describe("the README's commands table", () => {
  const commands = readmeCommands(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));

  test('every command in the table has a decided exercise, and every exercise is still in the table', () => {
    expect(commands.length).toBeGreaterThanOrEqual(15);
    expect({ undecided: commands.filter((command) => !(command in EXERCISES)), stale: Object.keys(EXERCISES).filter((command) => !commands.includes(command)) }).toEqual({
      undecided: [],
      stale: [],
    });
  });

  test.each(Object.entries(EXERCISES).filter(([, how]) => 'testedBy' in how))('%s is run by another test', (_command, how) => {
    const { testedBy, literal } = how as { testedBy: string; literal: string };
    expect(fs.readFileSync(path.join(root, testedBy), 'utf8')).toContain(literal);
  });

  describe('run in a fresh copy of the workspace, in table order', () => {
    let copy: string;

    beforeAll(() => {
      copy = workspaceCopy('core-readme-');
    }, 120_000);

    afterAll(() => {
      if (copy) fs.rmSync(copy, { recursive: true, force: true });
    });

    test.each(Object.entries(EXERCISES).filter(([, how]) => 'run' in how))('%s', (_command, how) => {
      const { run, expect: expected } = how as { run: string; expect?: RegExp };
      const output = expectSuccessInCopy(copy, run);
      if (expected) expect(output).toMatch(expected);
    }, 480_000);
  });
});
