import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ADMIN_WILDCARD_ACTIONS } from '@core-infra/policies';
import { readAssemblyStacks } from '../../src';
import { executionPolicyFor, permissionsBoundaryFor, planBootstrap, resourceTypesOf, SERVICE_ACTIONS, serviceOf, type BootstrapStacksTarget, type PolicyStatement } from '../../src/bootstrap';
import { baselineAssembly, removeBaselineAssemblies } from './baseline-assembly';

afterAll(removeBaselineAssemblies);

test('a role attaching an AWS managed policy the boundary does not know fails the plan with its name', () => {
  const role = { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] } };
  const stacks: BootstrapStacksTarget = { account: '123456789012', region: 'eu-west-2', stacks: [{ stage: 'core-test', stackName: 'core-test-app', template: { Resources: { Role: role } } }] };
  expect(() => permissionsBoundaryFor(stacks)).toThrow('a role attaches the AWS managed policy AdministratorAccess, which the permissions boundary does not know: add its actions to AWS_MANAGED_POLICY_ACTIONS');
});

test("the boundary allows what a known AWS managed policy does (RDS enhanced monitoring writes to CloudWatch Logs)", () => {
  const role = { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole']] }] } };
  const stacks: BootstrapStacksTarget = { account: '123456789012', region: 'eu-west-2', stacks: [{ stage: 'core-test', stackName: 'core-test-data', template: { Resources: { Role: role } } }] };
  expect(actionsOf(permissionsBoundaryFor(stacks).statements)).toContain('logs:*');
});

function actionsOf(statements: readonly PolicyStatement[]): string[] {
  return statements.filter((statement) => statement.Effect === 'Allow').flatMap((statement) => [statement.Action].flat());
}

function target(types: readonly string[]): BootstrapStacksTarget {
  const Resources = Object.fromEntries(types.map((type, index) => [`R${index}`, { Type: type }]));
  return { account: '123456789012', region: 'eu-west-2', stacks: [{ stage: 'core-test', stackName: 'core-test-data', template: { Resources } }] };
}

describe.each(['meta', 'dev', 'staging', 'production'] as const)('the generated policies of %s', (environment) => {
  const assemblyDir = baselineAssembly(environment);
  const plan = planBootstrap({ environment, assemblyDir, dryRun: true });

  test('no execution policy or boundary allows "*" or an admin-class wildcard (iam:*, kms:*, sts:* …)', () => {
    for (const bootstrapTarget of plan.targets) {
      for (const statements of [bootstrapTarget.executionPolicy.statements, bootstrapTarget.permissionsBoundary.statements]) {
        const actions = actionsOf(statements);
        expect(actions.filter((action) => ADMIN_WILDCARD_ACTIONS.includes(action.toLowerCase()))).toEqual([]);
        expect(actions.length).toBeGreaterThan(0);
      }
    }
  });

  test("the execution policy covers the service of every resource type of the environment's stacks", () => {
    for (const bootstrapTarget of plan.targets) {
      const actions = actionsOf(bootstrapTarget.executionPolicy.statements);
      const uncovered = bootstrapTarget.resourceTypes
        .filter((type) => !type.startsWith('AWS::IAM::') && serviceOf(type) !== 'Custom')
        .filter((type) => !SERVICE_ACTIONS[serviceOf(type)].actions.every((action) => actions.includes(action)));
      expect(uncovered).toEqual([]);
    }
  });

  test('every role and user of the stacks carries the permissions boundary its account and region are bootstrapped with', () => {
    const boundaries = new Map(plan.targets.map((t) => [`${t.account}/${t.region}`, t.permissionsBoundaryArn]));
    type Resources = Record<string, { Type: string; Properties?: { PermissionsBoundary?: unknown } }>;
    const wrong = readAssemblyStacks(assemblyDir).flatMap((stack) =>
      Object.entries((JSON.parse(readFileSync(path.join(assemblyDir, stack.relativeTemplatePath), 'utf8')) as { Resources: Resources }).Resources)
        .filter(([, resource]) => resource.Type === 'AWS::IAM::Role' || resource.Type === 'AWS::IAM::User')
        .filter(([, resource]) => resource.Properties?.PermissionsBoundary !== boundaries.get(`${stack.account}/${stack.region}`))
        .map(([id, resource]) => `${stack.stackName}/${id}: ${JSON.stringify(resource.Properties?.PermissionsBoundary)}`),
    );
    expect(wrong).toEqual([]);
  });

  test('CloudFormation may create a role only under that boundary', () => {
    for (const bootstrapTarget of plan.targets) {
      const creating = bootstrapTarget.executionPolicy.statements.filter((s) => actionsOf([s]).includes('iam:CreateRole'));
      for (const statement of creating) expect(statement.Condition).toEqual({ StringEquals: { 'iam:PermissionsBoundary': bootstrapTarget.permissionsBoundaryArn } });
    }
  });

  test('IAM actions reach only the roles of the environment, never every role', () => {
    for (const bootstrapTarget of plan.targets) {
      for (const statement of bootstrapTarget.executionPolicy.statements.filter((s) => actionsOf([s]).some((action) => action.startsWith('iam:')))) {
        for (const resource of [statement.Resource].flat() as string[]) {
          expect(resource.startsWith(`arn:aws:iam::${bootstrapTarget.account}:`)).toBe(true);
          expect(resource).not.toMatch(/:(role|policy)\/\*$/);
        }
      }
    }
  });
});

describe('the execution policy', () => {
  test("a resource type added to an environment's stacks brings its service's actions", () => {
    const before = executionPolicyFor(target(['AWS::S3::Bucket']));
    const after = executionPolicyFor(target(['AWS::S3::Bucket', 'AWS::SQS::Queue']));
    expect(actionsOf(before.statements)).not.toContain('sqs:*');
    expect(actionsOf(after.statements)).toContain('sqs:*');
  });

  test('a resource type added to a real environment (staging) appears in its plan', () => {
    const assembly = baselineAssembly('staging', { edit: (stack, template) => stack === 'data' && (template.Resources.Queue = { Type: 'AWS::SQS::Queue' }) });
    const [home] = planBootstrap({ environment: 'staging', assemblyDir: assembly, dryRun: true }).targets;
    expect(home.resourceTypes).toContain('AWS::SQS::Queue');
    expect(actionsOf(home.executionPolicy.statements)).toContain('sqs:*');
  });

  test('a resource type of a service without actions fails with its name and where to add it', () => {
    expect(() => executionPolicyFor(target(['AWS::S3::Bucket', 'AWS::Kinesis::Stream']))).toThrow(/AWS::Kinesis::Stream: add the service to SERVICE_ACTIONS/);
    expect(() => executionPolicyFor(target(['AWS::IAM::User']))).toThrow(/AWS::IAM::User/);
  });

  test('custom resources may invoke only functions of their account and region', () => {
    const statements = executionPolicyFor(target(['Custom::AWS', 'AWS::Lambda::Function'])).statements;
    expect(statements.find((s) => s.Sid === 'InvokeCustomResourceProviders')?.Resource).toBe('arn:aws:lambda:eu-west-2:123456789012:function:*');
  });

  test('CloudFormation-only types need nothing', () => {
    expect(resourceTypesOf(target(['AWS::CDK::Metadata', 'AWS::S3::Bucket']))).toEqual(['AWS::S3::Bucket']);
  });
});

describe('the permissions boundary', () => {
  test('caps roles at the services their stacks use, with control-plane actions named one by one', () => {
    const withRole = target(['AWS::S3::Bucket']);
    (withRole.stacks[0].template.Resources as Record<string, unknown>).Policy = {
      Type: 'AWS::IAM::Policy',
      Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt', 'sqs:SendMessage', 'sts:AssumeRole'], Resource: 'arn:aws:kms:eu-west-2:123456789012:key/k' }] } },
    };
    const boundary = permissionsBoundaryFor(withRole);
    expect(boundary.statements.find((s) => s.Sid === 'EnvironmentServices')?.Action).toEqual(['s3:*', 'sqs:*']);
    expect(boundary.statements.find((s) => s.Sid === 'NamedControlPlaneActions')?.Action).toEqual(['kms:Decrypt']);
    expect(boundary.statements.find((s) => s.Sid === 'PassOrAssumeRolesOnly')).toMatchObject({ Action: ['sts:AssumeRole'], Resource: 'arn:aws:iam::*:role/*' });
  });
});
