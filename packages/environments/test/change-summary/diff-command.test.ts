import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type CdkRunOptions, type DeployDependencies, type EnvironmentChangeSummary } from '../../src';
import { removeFakeApps, stagingLikeStacks, writeFakeApp } from '../deploy/fake-assembly';
import { committedTemplate, logicalIdOf, removeProductionApps, writePolicyReport, writeProductionApp, type EditableTemplate, type ProductionApp } from './production-app';
import { runDeploy } from '../support/deploy-cli';

// `core-deploy diff` on the real committed production templates, edited the way changes edit
// them: what a reviewer reads in the pull request, and every refusal (exit 2, one line).

afterAll(() => {
  removeProductionApps();
  removeFakeApps();
});

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const cli = (args: readonly string[], deps: DeployDependencies = {}): Promise<CliResult> => runDeploy(args, { env: {}, log: () => undefined, ...deps });

async function summarize(app: ProductionApp, ...extra: string[]): Promise<{ markdown: string; summary: EnvironmentChangeSummary }> {
  const markdown = await cli(['diff', '--env', 'production', '--assembly', app.assembly, ...extra]);
  const json = await cli(['diff', '--env', 'production', '--assembly', app.assembly, '--format', 'json', ...extra]);
  expect([markdown.code, markdown.stderr, json.code, json.stderr]).toEqual([0, '', 0, '']);
  return { markdown: markdown.stdout, summary: JSON.parse(json.stdout) as EnvironmentChangeSummary };
}

const data = committedTemplate('data');
const databaseId = logicalIdOf(data, 'AWS::RDS::DBInstance', 'DatabaseInstance');
const alarmId = logicalIdOf(data, 'AWS::CloudWatch::Alarm', 'DatabaseCpuAlarm');
const databaseGroupId = logicalIdOf(data, 'AWS::EC2::SecurityGroup', 'DatabaseSecurityGroup');
const app = committedTemplate('app');
const appPolicyId = logicalIdOf(app, 'AWS::IAM::Policy');

function renameDatabase(template: EditableTemplate): void {
  template.Resources[databaseId].Properties = { ...template.Resources[databaseId].Properties, DBInstanceIdentifier: 'core-prod-renamed' };
}

function openDatabaseToTheInternet(template: EditableTemplate): void {
  template.Resources.OpenDatabaseIngress = {
    Type: 'AWS::EC2::SecurityGroupIngress',
    Properties: { GroupId: { 'Fn::GetAtt': [databaseGroupId, 'GroupId'] }, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIp: '0.0.0.0/0' },
    Metadata: { 'aws:cdk:path': 'core-prod/data/Database/OpenIngress' },
  };
}

function grantEverything(template: EditableTemplate): void {
  const document = template.Resources[appPolicyId].Properties?.PolicyDocument as { Statement: unknown[] };
  document.Statement.push({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
}

describe('core-deploy diff against the committed baseline', () => {
  test('no change: every stack matches its baseline, the gate passes, nothing is broadened', async () => {
    // GIVEN the committed templates synthesized again unchanged
    const { markdown, summary } = await summarize(writeProductionApp());

    // THEN the summary says so, for all six stacks
    expect(summary).toMatchObject({ environment: 'production', comparedWith: 'baseline', affected: false, totals: { added: 0, modified: 0, replaced: 0, removed: 0 } });
    expect(summary.stacks.map((stack) => stack.status)).toEqual(Array(6).fill('unchanged'));
    expect(markdown).toMatch(/^<!-- core-infra:environment production -->\n## production\n/);
    expect(markdown).toContain('**No change:** the 6 stack(s) match the committed baseline templates');
    expect(markdown).toContain('**Destructive-change gate: passes.**');
    expect(markdown).toContain('**Access:** no IAM or security-group change widens access.');
    expect(markdown).not.toContain('### Resources changed');
  });

  test('a benign change (an alarm threshold) is one modified resource with its construct path, nothing else', async () => {
    // GIVEN the database CPU alarm's threshold raised
    const changed = writeProductionApp({ data: (template) => void (template.Resources[alarmId].Properties = { ...template.Resources[alarmId].Properties, Threshold: 95 }) });

    // WHEN summarized
    const { markdown, summary } = await summarize(changed);

    // THEN only the data stack changes, by one in-place modification
    const dataStack = summary.stacks.find((stack) => stack.id === 'core-prod/data');
    expect(dataStack).toMatchObject({ status: 'changed', counts: { added: 0, modified: 1, replaced: 0, removed: 0 } });
    expect(dataStack?.resources).toEqual([
      { logicalId: alarmId, resourceType: 'AWS::CloudWatch::Alarm', constructPath: 'core-prod/data/Database/CpuAlarm/Resource', change: 'modify', properties: ['Threshold'], stateful: false, destructive: false },
    ]);
    expect(markdown).toContain('**1 of 6 stack(s) change**: 0 resource(s) added, 1 modified, 0 replaced, 0 removed');
    expect(markdown).toContain(`| modify (Threshold) | \`${alarmId}\` | \`AWS::CloudWatch::Alarm\` | core-prod/data/Database/CpuAlarm/Resource |`);
    expect(markdown).toContain('Unchanged: `core-prod/deployment-access`, `core-prod/monitoring`, `core-prod/network`, `core-prod/app`, `core-prod/edge`.');
    expect(markdown).toContain('**Destructive-change gate: passes.**');
    expect(markdown).toContain('**Access:** no IAM or security-group change widens access.');
  });

  test('an IAM statement on every resource and an ingress from 0.0.0.0/0 are listed as broadened access', async () => {
    // GIVEN an Allow on Resource * and the database opened to the internet
    const changed = writeProductionApp({ app: grantEverything, data: openDatabaseToTheInternet });

    // WHEN summarized
    const { markdown, summary } = await summarize(changed);

    // THEN both are in the summary, the wildcard and the open rule in bold
    const appStack = summary.stacks.find((stack) => stack.id === 'core-prod/app');
    expect(appStack?.broadening.statements).toEqual([expect.objectContaining({ change: 'added', effect: 'Allow', action: 's3:GetObject', resource: '*', wildcard: true })]);
    const dataStack = summary.stacks.find((stack) => stack.id === 'core-prod/data');
    expect(dataStack?.broadening.securityGroupRules).toEqual([expect.objectContaining({ direction: 'ingress', protocol: 'TCP 5432', peer: 'Everyone (IPv4)', openToInternet: true })]);
    expect(markdown).toContain('**Access broadened:** 1 IAM statement(s), 0 managed policy attachment(s), 1 security-group rule(s) (**1 open to the internet**).');
    expect(markdown).toContain('### Access broadened');
    expect(markdown).toMatch(/\| `core-prod\/app` \| added \| \*\*Allow\*\* \| s3:GetObject \| \*\*\\\*\*\* \|/);
    expect(markdown).toMatch(/\| `core-prod\/data` \| ingress \| .* \| TCP 5432 \| \*\*Everyone \(IPv4\)\*\* \|/);
  });

  test('an unacknowledged replacement of the database is blocked, first in its table and in bold', async () => {
    // GIVEN the database renamed (DBInstanceIdentifier forces a replacement) and an unrelated alarm change
    const changed = writeProductionApp({
      data: (template) => {
        renameDatabase(template);
        template.Resources[alarmId].Properties = { ...template.Resources[alarmId].Properties, Threshold: 95 };
      },
    });

    // WHEN summarized
    const { markdown, summary } = await summarize(changed);

    // THEN the gate blocks, and the replacement leads the data stack's table in bold
    expect(summary.gate).toMatchObject({ passed: false, blocked: [{ stack: 'core-prod/data', logicalId: databaseId, change: 'replace', resourceType: 'AWS::RDS::DBInstance' }] });
    const dataStack = summary.stacks.find((stack) => stack.id === 'core-prod/data');
    expect(dataStack?.resources.map((resource) => [resource.logicalId, resource.change, resource.destructive])).toEqual([
      [databaseId, 'replace', true],
      [alarmId, 'modify', false],
    ]);
    expect(markdown).toContain('**Destructive-change gate: BLOCKED** by 1 unacknowledged destructive change(s) to stateful resources.');
    expect(markdown).toContain('This summary does not fail the build; the `check-stateful` target (`core-policies diff`) does');
    expect(markdown).toContain(`**replace** (DBInstanceIdentifier) (stateful) | **\`${databaseId}\`** |`);
    expect(markdown).toContain(`acknowledge \`{ stack: coreproddata49DE54EE, logicalId: ${databaseId}, change: replace, reason: … }\``);
    const table = markdown.slice(markdown.indexOf('#### `core-prod/data`'));
    expect(table.indexOf(databaseId)).toBeLessThan(table.indexOf(alarmId));
  });

  test('an acknowledged replacement passes the gate and shows the reviewer’s reason', async () => {
    // GIVEN the same replacement, acknowledged
    const reason = 'renamed to match the new naming scheme; data restored from the final snapshot';
    const changed = writeProductionApp({ data: renameDatabase }, { acknowledgements: `- stack: coreproddata49DE54EE\n  logicalId: ${databaseId}\n  change: replace\n  reason: ${reason}\n` });

    // WHEN summarized
    const { markdown, summary } = await summarize(changed);

    // THEN it passes with the acknowledgement listed
    expect(summary.gate).toMatchObject({ passed: true, blocked: [], acknowledged: [{ logicalId: databaseId, change: 'replace', reason }] });
    expect(markdown).toContain('**Destructive-change gate: passes.** 1 destructive change(s) acknowledged.');
    expect(markdown).toContain(`**Acknowledged** (allowed, with the reviewer's reason):\n\n- replace \`core-prod/data\` \`${databaseId}\``);
    expect(markdown).toContain(`acknowledged: ${reason}`);
  });

  test('a new stack and a removed stack both appear, the removal blocked by the gate', async () => {
    // GIVEN a new reports stack and the monitoring stack gone from the app
    const reports: EditableTemplate = { Resources: { Topic: { Type: 'AWS::SNS::Topic', Metadata: { 'aws:cdk:path': 'core-prod/reports/Topic/Resource' } } } };
    const changed = writeProductionApp({}, { without: ['monitoring'], extraStacks: { reports } });

    // WHEN summarized
    const { markdown, summary } = await summarize(changed);

    // THEN
    expect(summary.stacks.find((stack) => stack.id === 'core-prod/reports')).toMatchObject({ status: 'new', counts: { added: 1 } });
    const removed = summary.stacks.find((stack) => stack.status === 'removed');
    expect(removed).toMatchObject({ id: 'core-prod/monitoring', artifactId: 'coreprodmonitoring7F122C31', counts: { added: 0, modified: 0, replaced: 0 } });
    expect(removed?.counts.removed).toBe(Object.keys(committedTemplate('monitoring').Resources).length);
    // the Deny statements a deleted stack takes along widen nothing
    expect(removed?.broadening).toEqual({ statements: [], managedPolicies: [], securityGroupRules: [] });
    expect(summary.gate.passed).toBe(false);
    expect(markdown).toContain('| `core-prod/reports` (new stack) | 1 | 0 | 0 | 0 |');
    expect(markdown).toContain('(removed stack, baseline `coreprodmonitoring7F122C31.template.json`)');
  });

  test('lists only the findings the base branch does not have, matched by rule, template and resource, not line', async () => {
    // GIVEN a head report with an old finding (moved to another line) and a new one
    const changed = writeProductionApp();
    writePolicyReport(path.join(changed.appDir, 'reports', 'policy-report.json'), [
      { ruleId: 'CORE.RDS.1', stack: 'data', logicalId: databaseId, line: 120 },
      { ruleId: 'CORE.IAM.2', stack: 'app', logicalId: appPolicyId, line: 40 },
    ]);
    const base = writePolicyReport(path.join(changed.appDir, 'base', 'policy-report.json'), [{ ruleId: 'CORE.RDS.1', stack: 'data', logicalId: databaseId, line: 80 }]);

    // WHEN summarized with and without the base report
    const compared = await summarize(changed, '--base-policy-report', base);
    const alone = await summarize(changed);

    // THEN only the IAM finding is new; without a base report both are listed
    expect(compared.summary.policy).toMatchObject({ total: 2, listed: [{ ruleId: 'CORE.IAM.2', template: 'coreprodappFBEDDB1C', logicalId: appPolicyId }] });
    expect(compared.markdown).toContain('**Policy: 1 new finding(s)** compared with the base branch; 2 finding(s) in total.');
    expect(compared.markdown).toContain('CORE.IAM.2 is violated \\| by &lt;');
    expect(compared.markdown).not.toContain('`CORE.RDS.1`');
    expect(alone.summary.policy.listed.map((finding) => finding.ruleId)).toEqual(['CORE.RDS.1', 'CORE.IAM.2']);
    expect(alone.markdown).toContain('no base-branch report was given (`--base-policy-report`), so every open finding is listed');
  });

  test('a huge change stays under --max-chars, keeps the verdicts and says where the full summary is', async () => {
    // GIVEN a new stack of 600 resources and the database replaced
    const huge: EditableTemplate = { Resources: {} };
    for (let index = 0; index < 600; index++) {
      huge.Resources[`Queue${index}`] = { Type: 'AWS::SNS::Topic', Metadata: { 'aws:cdk:path': `core-prod/bulk/Some/Deeply/Nested/Construct/Path/Topic${index}/Resource` } };
    }
    const changed = writeProductionApp({ data: renameDatabase }, { extraStacks: { bulk: huge } });
    const output = path.join(mkdtempSync(path.join(tmpdir(), 'core-summary-out-')), 'summaries', 'production.md');

    // WHEN summarized with a limit and an output file
    const result = await cli(['diff', '--env', 'production', '--assembly', changed.assembly, '--max-chars', '8000', '--output', output]);

    // THEN the comment fits, keeps the counts and the gate verdict, and points at the artifact
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBeLessThanOrEqual(8000);
    expect(result.stdout).toContain('**Destructive-change gate: BLOCKED**');
    expect(result.stdout).toContain('| `core-prod/bulk` (new stack) | 600 | 0 | 0 | 0 |');
    expect(result.stdout).toContain('The full summary is in the workflow artifact (file production.md).');
    // the largest table went first; the database replacement's table stayed
    expect(result.stdout).toContain('#### `core-prod/bulk` (new stack): 600 added, 0 modified, 0 replaced, 0 removed\n\n_Resource table left out for size._');
    expect(result.stdout).toContain('**replace** (DBInstanceIdentifier) (stateful)');
    expect(readFileSync(output.replace(/\.md$/, '.comment.md'), 'utf8')).toBe(result.stdout);
    const full = readFileSync(output, 'utf8');
    expect(full).toContain('Topic599/Resource');
    expect(full).not.toContain('Shortened');
    expect(JSON.parse(readFileSync(output.replace(/\.md$/, '.json'), 'utf8'))).toMatchObject({ environment: 'production', fullSummaryFile: 'production.md', totals: { added: 600, replaced: 1 } });
  });
});

describe('core-deploy diff --deployed', () => {
  test('runs cdk diff on exactly the environment’s stacks and puts its output in the summary', async () => {
    // GIVEN a fake CDK CLI that records its arguments and prints a diff
    const calls: (readonly string[])[] = [];
    const runCdk = async (args: readonly string[], options: CdkRunOptions) => {
      calls.push(args);
      options.output?.('Stack core-prod/data (core-prod-data)\n\u001b[33m[~]\u001b[39m AWS::CloudWatch::Alarm data/Database/CpuAlarm\n\n✨  Number of stacks with differences: 1\n');
      return 0;
    };
    const changed = writeProductionApp();

    // WHEN summarized against the deployed stacks
    const result = await cli(['diff', '--env', 'production', '--assembly', changed.assembly, '--deployed'], { runCdk });

    // THEN the CLI got every production stack by its id, in deployment order, and nothing else
    expect(result.code).toBe(0);
    expect(calls).toEqual([
      ['diff', '--app', changed.assembly, '--exclusively', 'core-prod/deployment-access', 'core-prod/monitoring', 'core-prod/network', 'core-prod/data', 'core-prod/app', 'core-prod/edge'],
    ]);
    expect(result.stdout).toContain('Compared with the **deployed** stacks by `cdk diff`');
    expect(result.stdout).toContain('[~] AWS::CloudWatch::Alarm data/Database/CpuAlarm\n');
    expect(result.stdout).not.toContain('\u001b[');
  });

  test('a failing cdk diff exits 1 with the reason', async () => {
    const runCdk = async (_args: readonly string[], options: CdkRunOptions) => {
      options.output?.('Need to perform AWS calls for account 100000000004, but no credentials have been configured\n');
      return 1;
    };
    const result = await cli(['diff', '--env', 'production', '--assembly', writeProductionApp().assembly, '--deployed'], { runCdk });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('core-deploy: cdk diff exited with code 1 (Need to perform AWS calls for account 100000000004, but no credentials have been configured): check that AWS credentials can read the environment\'s stacks, or summarize against the baseline without --deployed\n');
  });
});

describe('core-deploy diff of dev', () => {
  test('summarizes dev’s own stacks and names the review apps it leaves out', async () => {
    // GIVEN a dev assembly with one review app and an empty baseline
    const { assembly } = writeFakeApp([
      { name: 'core-dev', stacks: stagingLikeStacks('100000000002') },
      { name: 'core-review-7', stacks: [{ name: 'app', account: '100000000002' }] },
    ]);
    const baseline = mkdtempSync(path.join(tmpdir(), 'core-dev-baseline-'));

    // WHEN summarized
    const result = await cli(['diff', '--env', 'dev', '--assembly', assembly, '--baseline', baseline, '--format', 'json']);

    // THEN
    const summary = JSON.parse(result.stdout) as EnvironmentChangeSummary;
    expect(summary.stacks.map((stack) => [stack.id, stack.status])).toEqual(stagingLikeStacks().map(() => expect.arrayContaining([expect.stringMatching(/^core-dev\//), 'new'])));
    expect(summary.leftOut).toEqual([{ id: 'core-review-7/app', reason: 'review app: ephemeral, deployed and torn down with its pull request' }]);
  });
});

describe('core-deploy diff refuses bad input with exit 2 and one line', () => {
  function expectRefusal(result: CliResult, message: RegExp): void {
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }

  test('a missing baseline folder', async () => {
    const changed = writeProductionApp();
    expectRefusal(
      await cli(['diff', '--env', 'production', '--assembly', changed.assembly, '--baseline', path.join(changed.appDir, 'nowhere')]),
      /^core-deploy: --baseline: .*nowhere is not a folder: pass the app's committed baseline folder \(apps\/production\/baseline\)/,
    );
  });

  test('an unknown environment', async () => {
    expectRefusal(await cli(['diff', '--env', 'qa', '--assembly', 'cdk.out']), /option '--env <environment>' argument 'qa' is invalid\. "qa" is not an environment of this workspace; choose from meta, dev, staging, production/);
  });

  test('the assembly of another environment', async () => {
    expectRefusal(await cli(['diff', '--env', 'staging', '--assembly', writeProductionApp().assembly]), /^core-deploy: --assembly: .* holds stack core-prod\/.*, which is not part of staging/);
  });

  test('a named policy report that does not exist', async () => {
    const changed = writeProductionApp();
    expectRefusal(await cli(['diff', '--env', 'production', '--assembly', changed.assembly, '--policy-report', 'missing.json']), /^core-deploy: --policy-report: missing\.json does not exist/);
  });

  test('an --output that is not a Markdown file, and a --max-chars beyond a comment', async () => {
    const changed = writeProductionApp();
    expectRefusal(await cli(['diff', '--env', 'production', '--assembly', changed.assembly, '--output', 'summary.txt']), /^core-deploy: --output: summary\.txt is not a Markdown file name/);
    expectRefusal(await cli(['diff', '--env', 'production', '--assembly', changed.assembly, '--max-chars', '70000']), /option '--max-chars <n>' argument '70000' is invalid\. give a whole number of characters from 1000 to 65536/);
  });
});
