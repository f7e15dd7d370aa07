import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CHANGE_SUMMARY_MARKER,
  CHANGE_SUMMARY_SCHEMA,
  combineChangeSummaries,
  escapeMarkdown,
  fitMarkdown,
  inlineCode,
  type EnvironmentChangeSummary,
  type ResourceChange,
} from '../../src';
import { runDeploy } from '../support/deploy-cli';

// `core-deploy comment`: one sticky comment from the per-environment summaries, in deployment
// order, under GitHub's size limit however large the summaries are. Summaries are built as
// data here; diff-command.test.ts proves they come out of real templates like this.

const cli = (args: readonly string[]) => runDeploy(args, { env: {}, log: () => undefined });

function summaryOf(environment: EnvironmentChangeSummary['environment'], resources: number, options: { blocked?: boolean } = {}): EnvironmentChangeSummary {
  const rows: ResourceChange[] = Array.from({ length: resources }, (_, index) => ({
    logicalId: `Topic${index}`,
    resourceType: 'AWS::SNS::Topic',
    constructPath: `core-${environment}/app/Notifications/Topic${index}/Resource`,
    change: 'add',
    properties: [],
    stateful: false,
    destructive: false,
  }));
  const blocked = options.blocked
    ? [{ stack: `core-${environment}/data`, logicalId: 'Database', resourceType: 'AWS::RDS::DBInstance', change: 'replace' as const, summary: 'will be replaced', acknowledgeWith: { stack: 'data', logicalId: 'Database', change: 'replace' as const } }]
    : [];
  return {
    schema: CHANGE_SUMMARY_SCHEMA,
    environment,
    comparedWith: 'baseline',
    baselineDir: 'baseline',
    affected: resources > 0,
    totals: { added: resources, modified: 0, replaced: 0, removed: 0 },
    stacks: [
      {
        id: `core-${environment}/app`,
        artifactId: `core${environment}app`,
        stackName: `core-${environment}-app`,
        status: resources > 0 ? 'changed' : 'unchanged',
        counts: { added: resources, modified: 0, replaced: 0, removed: 0 },
        otherChanges: 0,
        resources: rows,
        broadening: { statements: [], managedPolicies: [], securityGroupRules: [] },
      },
    ],
    leftOut: [],
    gate: { passed: !options.blocked, blocked, acknowledged: [], problems: [], interruptions: [], exemptStacks: [] },
    policy: { total: 0, acknowledged: 0, resolved: 0, listed: [], errors: [] },
  };
}

function writeSummaries(summaries: readonly EnvironmentChangeSummary[]): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'core-comment-'));
  return summaries.map((summary) => {
    const file = path.join(dir, `${summary.environment}.json`);
    writeFileSync(file, JSON.stringify(summary));
    return file;
  });
}

/** Every `<details>` is closed and every code fence ends: nothing was cut inside a tag. */
function expectBalanced(markdown: string): void {
  expect((markdown.match(/<details>/g) ?? []).length).toBe((markdown.match(/<\/details>/g) ?? []).length);
  expect((markdown.match(/^```/gm) ?? []).length % 2).toBe(0);
}

describe('core-deploy comment', () => {
  test('starts with the hidden marker and lists the environments in deployment order', async () => {
    // GIVEN summaries of production, meta and staging, in that order
    const files = writeSummaries([summaryOf('production', 2), summaryOf('meta', 0), summaryOf('staging', 1)]);

    // WHEN combined
    const { code, stdout } = await cli(['comment', ...files]);

    // THEN
    expect(code).toBe(0);
    expect(stdout.startsWith(`${CHANGE_SUMMARY_MARKER}\n`)).toBe(true);
    expect(stdout).toContain('Environments in deployment order: meta, staging, production.');
    const at = (environment: string) => stdout.indexOf(`\n## ${environment}\n`);
    expect(at('meta')).toBeGreaterThan(0);
    expect(at('meta')).toBeLessThan(at('staging'));
    expect(at('staging')).toBeLessThan(at('production'));
  });

  test('says that no environment is affected when given none', async () => {
    const { code, stdout } = await cli(['comment']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${CHANGE_SUMMARY_MARKER}\n# Infrastructure change summary\n\nNo environment is affected by this change.\n`);
  });

  test('four huge summaries share the budget: under 65,000 characters, verdicts kept, nothing cut mid-tag', async () => {
    // GIVEN four environments with thousands of changed resources each, and a blocked gate in production
    const files = writeSummaries([summaryOf('meta', 50), summaryOf('dev', 3000), summaryOf('staging', 3000), summaryOf('production', 3000, { blocked: true })]);
    const output = path.join(mkdtempSync(path.join(tmpdir(), 'core-comment-out-')), 'comment.md');

    // WHEN combined into a file
    const { code, stdout } = await cli(['comment', '--output', output, ...files]);

    // THEN it fits, every environment keeps its counts and verdicts, and small ones stay whole
    expect([code, stdout]).toEqual([0, '']);
    const comment = readFileSync(output, 'utf8');
    expect(comment.length).toBeLessThanOrEqual(65_000);
    expect(comment.startsWith(CHANGE_SUMMARY_MARKER)).toBe(true);
    for (const environment of ['dev', 'staging', 'production']) {
      expect(comment).toContain(`| \`core-${environment}/app\` | 3000 | 0 | 0 | 0 |`);
      expect(comment).toContain(`The full summary of ${environment} is in the workflow artifact.`);
    }
    expect(comment).toContain('**Destructive-change gate: BLOCKED** by 1 unacknowledged');
    expect(comment).toContain('`Topic49`');
    expectBalanced(comment);
  });

  test('fits Markdown summaries at a block boundary and takes the environment from the hidden line', async () => {
    // GIVEN a Markdown summary far over the limit, with folded sections
    const dir = mkdtempSync(path.join(tmpdir(), 'core-comment-md-'));
    const section = (index: number) => `### Section ${index}\n\n<details><summary>rows</summary>\n\n${'| a | b |\n'.repeat(200)}\n</details>`;
    const markdown = ['<!-- core-infra:environment staging -->\n## staging', ...Array.from({ length: 40 }, (_, index) => section(index))].join('\n\n');
    const file = path.join(dir, 'summary.comment.md');
    writeFileSync(file, markdown);

    // WHEN combined with a small limit
    const { stdout } = await cli(['comment', '--max-chars', '5000', file]);

    // THEN it fits, whole sections only, and says where the rest is
    expect(stdout.length).toBeLessThanOrEqual(5000);
    expect(stdout).toContain('## staging');
    expect(stdout).toContain('The full summary of staging is in the workflow artifact.');
    expectBalanced(stdout);
  });

  test('refuses a JSON file that is not a change summary, with exit 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'core-comment-bad-'));
    const file = path.join(dir, 'plan.json');
    writeFileSync(file, JSON.stringify({ action: 'deploy' }));
    const { code, stderr } = await cli(['comment', file]);
    expect(code).toBe(2);
    expect(stderr).toBe(`core-deploy: comment: ${file} is not a change summary (its schema is not ${CHANGE_SUMMARY_SCHEMA}): pass the .json or .md files that core-deploy diff --output wrote\n`);
  });
});

describe('the comment budget', () => {
  test('combineChangeSummaries honours a custom limit', () => {
    const comment = combineChangeSummaries([{ kind: 'summary', summary: summaryOf('dev', 500) }], { maxChars: 3000 });
    expect(comment.length).toBeLessThanOrEqual(3000);
    expect(comment).toContain('| `core-dev/app` | 500 | 0 | 0 | 0 |');
  });
});

describe('Markdown from templates', () => {
  test('escapes table pipes, tags, backticks and mentions', () => {
    expect(escapeMarkdown('a|b <script> `x` @team *y*')).toBe('a\\|b &lt;script&gt; \\`x\\` &#64;team \\*y\\*');
  });

  test('code spans survive backticks and pipes', () => {
    expect(inlineCode('Bucket`s|id')).toBe('``Bucket`s\\|id``');
    expect(inlineCode('plain')).toBe('`plain`');
  });

  test('fitMarkdown never cuts inside a <details> element', () => {
    const folded = `<details><summary>x</summary>\n\n${'line\n\n'.repeat(50)}</details>`;
    const fitted = fitMarkdown(`## title\n\n${folded}\n\nafter`, 200, 'NOTE');
    expect(fitted).toBe('## title\n\nNOTE');
  });
});
