import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { EnvironmentName } from '../../src';
import { corePoliciesCheck, logicalIdOf, stackTemplatePath, synthesizedEnvironment, trustedAccountsArgument, type MutableTemplate } from './real-assembly';

// Each risk rule proven on what the environments really emit: one stack template of a real
// synthesized environment is weakened the way a pull request could (a statement added, a
// property flipped, a resource added beside the good ones) and `core-policies check` on that
// template must exit 1 naming the rule and the logical id; the unmutated template exits 0.

type Resource = MutableTemplate['Resources'][string];
type Statement = Record<string, unknown>;

interface Mutation {
  /** What the pull request does. */
  readonly change: string;
  readonly environment: EnvironmentName;
  /** Last segment of the stack's display name. */
  readonly stack: string;
  /** The rule that must fire. */
  readonly ruleId: string;
  /** Edits the template; returns the logical id the finding must name. */
  readonly edit: (template: MutableTemplate) => string;
}

const FOREIGN_ACCOUNT = '999999999999';
const PROFILE: Record<EnvironmentName, string> = { meta: 'baseline', dev: 'baseline', staging: 'baseline', production: 'production' };

function statementsOf(resource: Resource, property: string): Statement[] {
  const document = resource.Properties![property] as { Statement: Statement[] };
  return document.Statement;
}

function add(template: MutableTemplate, logicalId: string, resource: Resource): string {
  template.Resources[logicalId] = resource;
  return logicalId;
}

function firstOf(template: MutableTemplate, type: string, prefix = ''): [string, Resource] {
  const id = logicalIdOf(template, type, prefix);
  return [id, template.Resources[id]];
}

const MUTATIONS: readonly Mutation[] = [
  // Family 1: resource-based policies.
  {
    change: 'a statement allowing anyone to read is added to a bucket policy',
    environment: 'production',
    stack: 'data',
    ruleId: 'CORE.RESPOL.1',
    edit: (t) => {
      const [id, policy] = firstOf(t, 'AWS::S3::BucketPolicy');
      statementsOf(policy, 'PolicyDocument').push({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: '*' });
      return id;
    },
  },
  {
    change: 'a secret resource policy open to anyone is added',
    environment: 'production',
    stack: 'data',
    ruleId: 'CORE.RESPOL.1',
    edit: (t) =>
      add(t, 'OpenSecretPolicy', {
        Type: 'AWS::SecretsManager::ResourcePolicy',
        Properties: { SecretId: 'core-prod/rails', ResourcePolicy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] } },
      }),
  },
  {
    change: 'the registry grants pulls to an account the config does not declare',
    environment: 'meta',
    stack: 'registry',
    ruleId: 'CORE.RESPOL.2',
    edit: (t) => {
      const [id, repository] = firstOf(t, 'AWS::ECR::Repository');
      const policy = (repository.Properties!.RepositoryPolicyText ??= { Version: '2012-10-17', Statement: [] }) as { Statement: Statement[] };
      policy.Statement.push({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${FOREIGN_ACCOUNT}:root` }, Action: 'ecr:BatchGetImage' });
      return id;
    },
  },
  {
    change: 'the alert topic policy lets a foreign account publish',
    environment: 'production',
    stack: 'monitoring',
    ruleId: 'CORE.RESPOL.2',
    edit: (t) => {
      const [id, policy] = firstOf(t, 'AWS::SNS::TopicPolicy');
      statementsOf(policy, 'PolicyDocument').push({ Effect: 'Allow', Principal: { AWS: FOREIGN_ACCOUNT }, Action: 'sns:Publish', Resource: '*' });
      return id;
    },
  },
  {
    change: 'a public function URL is added for the alert notifier',
    environment: 'production',
    stack: 'monitoring',
    ruleId: 'CORE.RESPOL.3',
    edit: (t) => {
      const [fn] = firstOf(t, 'AWS::Lambda::Function');
      return add(t, 'NotifierUrl', { Type: 'AWS::Lambda::Url', Properties: { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [fn, 'Arn'] } } });
    },
  },
  // Family 2: IAM escalation and breadth.
  {
    change: 'AdministratorAccess is attached to a role',
    environment: 'production',
    stack: 'deployment-access',
    ruleId: 'CORE.IAM.3',
    edit: (t) => {
      const [id, role] = firstOf(t, 'AWS::IAM::Role');
      role.Properties!.ManagedPolicyArns = [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AdministratorAccess']] }];
      return id;
    },
  },
  {
    change: 'a policy allowing iam:PassRole on every role is added',
    environment: 'production',
    stack: 'app',
    ruleId: 'CORE.IAM.4',
    edit: (t) => {
      const [role] = firstOf(t, 'AWS::IAM::Role');
      return add(t, 'PassAnyRole', { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'pass', Roles: [{ Ref: role }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }] } } });
    },
  },
  {
    change: 'a CI policy gains an Allow with NotAction',
    environment: 'meta',
    stack: 'ci-access',
    ruleId: 'CORE.IAM.5',
    edit: (t) => {
      const [id, policy] = firstOf(t, 'AWS::IAM::Policy');
      statementsOf(policy, 'PolicyDocument').push({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
      return id;
    },
  },
  {
    change: 'a CI policy gains iam:* on one role',
    environment: 'meta',
    stack: 'ci-access',
    ruleId: 'CORE.IAM.6',
    edit: (t) => {
      const [id, policy] = firstOf(t, 'AWS::IAM::Policy');
      statementsOf(policy, 'PolicyDocument').push({ Effect: 'Allow', Action: 'iam:*', Resource: `arn:aws:iam::${FOREIGN_ACCOUNT}:role/x` });
      return id;
    },
  },
  {
    change: 'an IAM user with an access key is added for CI',
    environment: 'meta',
    stack: 'ci-access',
    ruleId: 'CORE.IAM.7',
    edit: (t) => {
      add(t, 'CiUser', { Type: 'AWS::IAM::User', Properties: {} });
      return add(t, 'CiUserKey', { Type: 'AWS::IAM::AccessKey', Properties: { UserName: { Ref: 'CiUser' } } });
    },
  },
  // Family 3: plaintext secrets.
  {
    change: 'a Slack webhook is put in the web container environment',
    environment: 'production',
    stack: 'app',
    ruleId: 'CORE.SECRET.3',
    edit: (t) => {
      const [id, task] = firstOf(t, 'AWS::ECS::TaskDefinition', 'ApplicationAppTaskDefinition');
      const container = (task.Properties!.ContainerDefinitions as { Environment: { Name: string; Value: string }[] }[])[0];
      container.Environment.push({ Name: 'SLACK_WEBHOOK_URL', Value: 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX' });
      return id;
    },
  },
  {
    change: 'the database master password is typed into the template',
    environment: 'production',
    stack: 'data',
    ruleId: 'CORE.SECRET.1',
    edit: (t) => {
      const [id, database] = firstOf(t, 'AWS::RDS::DBInstance');
      database.Properties!.MasterUserPassword = 'hunter2-production';
      return id;
    },
  },
  {
    change: 'an API token is added as a plain String SSM parameter',
    environment: 'production',
    stack: 'app',
    ruleId: 'CORE.SECRET.2',
    edit: (t) => add(t, 'ApiTokenParameter', { Type: 'AWS::SSM::Parameter', Properties: { Name: '/core-prod/os-places-api-token', Type: 'String', Value: 'tok-1234567890abcdef' } }),
  },
  // Family 4: containers.
  {
    change: 'the worker container gains SYS_ADMIN',
    environment: 'production',
    stack: 'app',
    ruleId: 'CORE.CONTAINER.1',
    edit: (t) => {
      const [id, task] = firstOf(t, 'AWS::ECS::TaskDefinition', 'ApplicationWorkerTaskDefinition');
      const container = (task.Properties!.ContainerDefinitions as { LinuxParameters: { Capabilities: Record<string, unknown> } }[])[0];
      container.LinuxParameters.Capabilities = { Add: ['SYS_ADMIN'] };
      return id;
    },
  },
  {
    change: 'a debugging task definition on the host network is added',
    environment: 'production',
    stack: 'app',
    ruleId: 'CORE.CONTAINER.2',
    edit: (t) =>
      add(t, 'DebugTask', {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: { NetworkMode: 'host', ContainerDefinitions: [{ Name: 'debug', Image: 'busybox', ReadonlyRootFilesystem: true, Privileged: true }] },
      }),
  },
  {
    change: 'the web container’s root filesystem is made writable again',
    environment: 'production',
    stack: 'app',
    ruleId: 'CORE.CONTAINER.3',
    edit: (t) => {
      const [id, task] = firstOf(t, 'AWS::ECS::TaskDefinition', 'ApplicationAppTaskDefinition');
      (task.Properties!.ContainerDefinitions as Record<string, unknown>[])[0].ReadonlyRootFilesystem = false;
      return id;
    },
  },
  {
    change: 'Container Insights is switched off on the cluster',
    environment: 'production',
    stack: 'app',
    ruleId: 'CORE.CONTAINER.4',
    edit: (t) => {
      const [id, cluster] = firstOf(t, 'AWS::ECS::Cluster');
      delete cluster.Properties!.ClusterSettings;
      return id;
    },
  },
  // Family 5: network.
  {
    change: 'a standalone ingress from ::/0 is added to the app security group',
    environment: 'production',
    stack: 'app',
    ruleId: 'CORE.NET.1',
    edit: (t) => {
      const [group] = firstOf(t, 'AWS::EC2::SecurityGroup');
      return add(t, 'OpenIpv6Ingress', { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': [group, 'GroupId'] }, IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000, CidrIpv6: '::/0' } });
    },
  },
  {
    change: 'a security group in the data stack gains all-traffic egress to the internet',
    environment: 'production',
    stack: 'data',
    ruleId: 'CORE.NET.2',
    edit: (t) => {
      const [id, group] = firstOf(t, 'AWS::EC2::SecurityGroup');
      group.Properties!.SecurityGroupEgress = [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }];
      return id;
    },
  },
  {
    change: 'the HTTPS listener forwards by default instead of answering 403',
    environment: 'production',
    stack: 'app',
    ruleId: 'CORE.NET.3',
    edit: (t) => {
      const [id, listener] = Object.entries(t.Resources).find(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::Listener' && r.Properties?.Protocol === 'HTTPS')!;
      const [targetGroup] = firstOf(t, 'AWS::ElasticLoadBalancingV2::TargetGroup');
      listener.Properties!.DefaultActions = [{ Type: 'forward', TargetGroupArn: { Ref: targetGroup } }];
      return id;
    },
  },
  // Family 6: data durability.
  {
    change: 'versioning of the deployment-state bucket is suspended',
    environment: 'meta',
    stack: 'state',
    ruleId: 'CORE.DURABLE.1',
    edit: (t) => {
      const [id, bucket] = Object.entries(t.Resources).find(([, r]) => r.Type === 'AWS::S3::Bucket' && (r.Properties?.VersioningConfiguration as { Status?: string } | undefined)?.Status === 'Enabled')!;
      bucket.Properties!.VersioningConfiguration = { Status: 'Suspended' };
      return id;
    },
  },
  {
    change: 'point-in-time recovery of the deploy lock table is switched off',
    environment: 'meta',
    stack: 'state',
    ruleId: 'CORE.DURABLE.4',
    edit: (t) => {
      const [id, table] = firstOf(t, 'AWS::DynamoDB::Table');
      table.Properties!.PointInTimeRecoverySpecification = { PointInTimeRecoveryEnabled: false };
      return id;
    },
  },
  {
    change: 'a reporting database without backups is added',
    environment: 'production',
    stack: 'data',
    ruleId: 'CORE.DURABLE.2',
    edit: (t) =>
      add(t, 'ReportingDatabase', {
        Type: 'AWS::RDS::DBInstance',
        DeletionPolicy: 'Snapshot',
        UpdateReplacePolicy: 'Snapshot',
        Properties: { Engine: 'postgres', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: '20', BackupRetentionPeriod: 0, StorageEncrypted: true, ManageMasterUserPassword: true, MasterUsername: 'reporting' },
      }),
  },
  // Family 7: unreviewed resource types.
  {
    change: 'an SQS queue, a type nobody reviewed, is added',
    environment: 'production',
    stack: 'data',
    ruleId: 'CORE.TYPE.1',
    edit: (t) => add(t, 'UnreviewedQueue', { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } }),
  },
  {
    change: 'a Lambda-backed custom resource of an unknown type is added',
    environment: 'meta',
    stack: 'state',
    ruleId: 'CORE.TYPE.1',
    edit: (t) => add(t, 'Anything', { Type: 'Custom::RunsAnything', Properties: { ServiceToken: 'arn:aws:lambda:eu-west-2:123456789012:function:x' } }),
  },
];

describe.each(['production', 'meta'] as const)('the unmutated %s templates', (environment) => {
  test('pass core-policies check with the environment’s profile and trusted accounts', async () => {
    const { code, report } = await corePoliciesCheck(synthesizedEnvironment(environment), '--profile', PROFILE[environment], trustedAccountsArgument(environment), '--format', 'json');
    expect(report?.findings).toEqual([]);
    expect(code).toBe(0);
  }, 300_000);
});

describe('risk rules on mutated real templates', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'risk-mutations-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test.each(MUTATIONS.map((m) => [`${m.ruleId}: ${m.change} (${m.environment}/${m.stack})`, m] as const))('%s', async (_label, mutation) => {
    const template = JSON.parse(readFileSync(stackTemplatePath(synthesizedEnvironment(mutation.environment), mutation.stack), 'utf8')) as MutableTemplate;
    const logicalId = mutation.edit(template);
    const file = path.join(scratch, `${mutation.ruleId}-${logicalId}.template.json`);
    writeFileSync(file, JSON.stringify(template));
    const { code, report } = await corePoliciesCheck(file, '--profile', PROFILE[mutation.environment], trustedAccountsArgument(mutation.environment), '--format', 'json');
    expect(code).toBe(1);
    expect(report!.findings.map((f) => `${f.ruleId} ${f.logicalId}`)).toContain(`${mutation.ruleId} ${logicalId}`);
  }, 300_000);
});
