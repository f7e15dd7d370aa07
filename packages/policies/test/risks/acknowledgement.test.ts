import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { evaluateTemplates, loadTemplateFile, RISK_RULES, type RiskRule } from '../../src';
import { FAILING_RESOURCES as CONTAINERS } from './fixtures/containers';
import { FAILING_RESOURCES as DURABILITY } from './fixtures/durability';
import { FAILING_RESOURCES as NETWORK } from './fixtures/network';
import { FAILING_RESOURCES as RESOURCE_POLICY_IAM } from './fixtures/resource-policy-iam';
import { FAILING_RESOURCES as SECRETS } from './fixtures/secrets';

// The ACKNOWLEDGED case of every risk rule, through the real engine: the same failing resource
// with { id, reason } in its metadata is acknowledged (high and lower rules) or refused (critical).

const FIXTURES = { ...RESOURCE_POLICY_IAM, ...SECRETS, ...CONTAINERS, ...NETWORK, ...DURABILITY };
const REASON = 'reviewed: this resource needs the exception for a documented reason';
const directory = mkdtempSync(path.join(tmpdir(), 'risk-ack-'));

function evaluate(rule: RiskRule, acknowledged: boolean) {
  const fixture = FIXTURES[rule.id] ?? fallbackFixture(rule);
  const metadata = acknowledged ? { guard: { SuppressedRules: [{ id: rule.id, reason: REASON }] } } : undefined;
  const file = path.join(directory, `${rule.id}-${acknowledged}.json`);
  writeFileSync(file, JSON.stringify({ Resources: { Subject: { ...fixture, Metadata: metadata } } }));
  return evaluateTemplates([loadTemplateFile(file)], { profile: rule.profile === 'production' ? 'production' : 'baseline', controlTowerRules: false });
}

// CORE.RESPOL.1 and the critical rules have no acknowledgeable case; their fixture is any failing resource.
function fallbackFixture(rule: RiskRule): { Type: string; Properties: Record<string, unknown> } {
  if (rule.id === 'CORE.RESPOL.1') return { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: ['t'], PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: '*' }] } } };
  if (rule.id === 'CORE.IAM.3') return { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [] }, ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] } };
  throw new Error(`${rule.id} has no failing fixture in test/risks/fixtures/`);
}

describe.each(RISK_RULES.map((rule) => [rule.id, rule] as const))('%s', (_id, rule) => {
  test('FAIL: its failing resource is reported on that resource', () => {
    const { findings } = evaluate(rule, false);
    expect(findings.filter((f) => f.ruleId === rule.id).map((f) => f.logicalId)).toContain('Subject');
  });

  if (rule.severity === 'critical') {
    test('ACKNOWLEDGED: refused, because the rule is critical, and the finding stays open', () => {
      const { findings, acknowledged } = evaluate(rule, true);
      expect(findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining([rule.id, 'CORE.ACK.2']));
      expect(acknowledged).toEqual([]);
    });
  } else {
    test('ACKNOWLEDGED: with a reason on the resource, it is listed as acknowledged, not open', () => {
      const { findings, acknowledged } = evaluate(rule, true);
      expect(findings.filter((f) => f.ruleId === rule.id || f.ruleId.startsWith('CORE.ACK.'))).toEqual([]);
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(acknowledged.map((a) => ({ ruleId: a.ruleId, logicalId: a.logicalId, reason: a.reason }))).toEqual(acknowledged.map(() => ({ ruleId: rule.id, logicalId: 'Subject', reason: REASON })));
    });
  }
});
