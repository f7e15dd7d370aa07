import { createTestApp, SynthesizedApp } from '@core-infra/testing';
import { buildEnvironmentApp, ConfigError, FIRST_DEPLOY_CONTEXT } from '../../src';

// An environment's first deployment (-c core:firstDeploy=true): the stage leaves out the request
// path, so nothing waits on DNS records or reads an unset secret, and it still passes the policy
// checks of its profile. With the flag off, every app's committed baseline proves nothing moved.

const REQUEST_PATH_TYPES = [
  'AWS::CertificateManager::Certificate',
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::CloudFront::Distribution',
  'AWS::ECS::Service',
  'AWS::ECS::TaskDefinition',
];

function firstDeploy(environment: 'dev' | 'production', value: unknown = 'true'): SynthesizedApp {
  return SynthesizedApp.of(buildEnvironmentApp(environment, { app: createTestApp({ [FIRST_DEPLOY_CONTEXT]: value }) }));
}

function typesOf(app: SynthesizedApp): string[] {
  const types = app.stacks.flatMap((stack) => Object.values(stack.template.Resources as Record<string, { Type: string }>).map((resource) => resource.Type));
  return [...new Set(types)].sort();
}

// Logical ids a template reads with `{{resolve:secretsmanager:<Ref>…}}`.
function dynamicSecretReferences(template: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach((part, index) => {
        const next = node[index + 1] as { Ref?: string } | undefined;
        if (typeof part === 'string' && part.endsWith('{{resolve:secretsmanager:') && typeof next?.Ref === 'string') found.push(next.Ref);
        walk(part);
      });
    } else if (typeof node === 'object' && node !== null) {
      Object.values(node).forEach(walk);
    }
  };
  walk(template);
  return found;
}

function secretName(template: Record<string, unknown>, id: string): string | undefined {
  const resource = (template.Resources as Record<string, { Type: string; Properties?: { Name?: string; SecretId?: { Ref?: string } } }>)[id];
  if (resource?.Type === 'AWS::SecretsManager::SecretTargetAttachment' && resource.Properties?.SecretId?.Ref) return secretName(template, resource.Properties.SecretId.Ref);
  return resource?.Properties?.Name;
}

describe.each([
  ['production', 'core-prod', 'production'],
  ['dev', 'core-dev', 'baseline'],
] as const)('the first deployment of %s', (environment, prefix, profile) => {
  let app: SynthesizedApp;
  beforeAll(() => {
    app = firstDeploy(environment);
  }, 120_000);

  test('holds the monitoring, network, data and deployment-access stacks only: no app, edge or review-app stacks', () => {
    expect(app.stacks.map((stack) => stack.displayName).sort()).toEqual([`${prefix}/data`, `${prefix}/deployment-access`, `${prefix}/monitoring`, `${prefix}/network`]);
  });

  test('creates no certificate, load balancer, distribution or application', () => {
    expect(typesOf(app).filter((type) => REQUEST_PATH_TYPES.includes(type))).toEqual([]);
  });

  test('creates the secrets to set, and the infrastructure deployment role CI deploys through next', () => {
    const data = app.stack(`${prefix}/data`).assertions;
    expect(Object.keys(data.findResources('AWS::SecretsManager::Secret')).length).toBeGreaterThan(5);
    app.stack(`${prefix}/deployment-access`).assertions.hasResourceProperties('AWS::IAM::Role', { RoleName: `${prefix}-infrastructure-deployment` });
  });

  test('reads no hand-set secret at deploy time: dynamic references name only secrets CloudFormation generates', () => {
    const referenced = app.stacks.flatMap((stack) => dynamicSecretReferences(stack.template).map((id) => ({ stack: stack.displayName, id, name: secretName(stack.template, id) })));
    expect(referenced.length).toBeGreaterThan(0);
    expect(referenced.filter(({ name }) => name !== undefined && (name.startsWith(`${prefix}/app/`) || name.endsWith('/monitoring/slack-webhook')))).toEqual([]);
  });

  test(`passes the ${profile} policy profile with no open finding`, () => {
    expect(app.policyRun?.profile).toBe(profile);
    expect(app.openFindings()).toEqual([]);
  });
});

test('a value other than true or false is a config error naming the context key, the value and the fix', () => {
  expect(() => firstDeploy('production', 'yes')).toThrow(ConfigError);
  expect(() => firstDeploy('production', 'yes')).toThrow(`${FIRST_DEPLOY_CONTEXT}: must be true or false (got "yes"): pass -c ${FIRST_DEPLOY_CONTEXT}=true for an environment's first deployment, or leave it out`);
});
