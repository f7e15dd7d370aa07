import { type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { ApplicationDeploymentRole, type ApplicationDeploymentRoleProps } from '../../src/delivery/application-deployment-role';

const NON_PROD_CI_ROLE = 'arn:aws:iam::999999999999:role/core-non-prod-ci';
const TASK_ROLE = 'arn:aws:iam::123456789012:role/core-staging-task';
const EXECUTION_ROLE = 'arn:aws:iam::123456789012:role/core-staging-task-execution';
const ECS = 'arn:aws:ecs:eu-west-2:123456789012';

function buildRole(stack: Stack, overrides: Partial<ApplicationDeploymentRoleProps> = {}): ApplicationDeploymentRole {
  return new ApplicationDeploymentRole(stack, 'ApplicationDeployment', {
    roleName: 'core-staging-deployment',
    ciRoleArns: [NON_PROD_CI_ROLE],
    clusterName: 'core-staging-app',
    serviceNames: ['core-staging-app', 'core-staging-sidekiq'],
    runTaskDefinitionFamilies: ['core-staging-ad-hoc', 'core-staging-app'],
    taskRoleArn: TASK_ROLE,
    executionRoleArn: EXECUTION_ROLE,
    ...overrides,
  });
}

describe('ApplicationDeploymentRole', () => {
  describe('GIVEN the staging application deployment role', () => {
    let template: Template;
    let role: ApplicationDeploymentRole;

    beforeAll(() => {
      const stack = createTestStack();
      role = buildRole(stack);
      template = Template.fromStack(stack);
    });

    test('THEN only the named CI role may assume it, with session tags', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'core-staging-deployment',
        AssumeRolePolicyDocument: {
          Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { AWS: NON_PROD_CI_ROLE } }],
        },
      });
    });

    test('THEN its policy allows exactly the rollout steps, each scoped to the cluster, families, services and roles', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'RegisterTaskDefinitions', Effect: 'Allow', Action: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'], Resource: '*' },
            {
              Sid: 'PassTaskRolesToEcsTasks',
              Effect: 'Allow',
              Action: 'iam:PassRole',
              Resource: [TASK_ROLE, EXECUTION_ROLE],
              Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
            },
            {
              Sid: 'RunOneOffTasksInCluster',
              Effect: 'Allow',
              Action: 'ecs:RunTask',
              Resource: [`${ECS}:task-definition/core-staging-ad-hoc:*`, `${ECS}:task-definition/core-staging-app:*`],
              Condition: { ArnLike: { 'ecs:cluster': `${ECS}:cluster/core-staging-app` } },
            },
            {
              Sid: 'TagOneOffTasksAtLaunch',
              Effect: 'Allow',
              Action: 'ecs:TagResource',
              Resource: `${ECS}:task/core-staging-app/*`,
              Condition: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
            },
            { Sid: 'FollowTasksInCluster', Effect: 'Allow', Action: 'ecs:DescribeTasks', Resource: `${ECS}:task/core-staging-app/*` },
            {
              Sid: 'UpdateServices',
              Effect: 'Allow',
              Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
              Resource: [`${ECS}:service/core-staging-app/core-staging-app`, `${ECS}:service/core-staging-app/core-staging-sidekiq`],
            },
          ],
        },
      });
      expect(role.clusterArn).toBe(`${ECS}:cluster/core-staging-app`);
    });

    test('THEN the only statement on * holds the two actions IAM cannot scope', () => {
      const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
      const onEverything = statements.filter((statement: { Resource: unknown }) => statement.Resource === '*');
      expect(onEverything.map((statement: { Action: unknown }) => statement.Action)).toEqual([['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition']]);
    });
  });

  describe('GIVEN the review-app clusters of the development account', () => {
    test('THEN a cluster prefix covers every review app and nothing else', () => {
      const stack = createTestStack();
      buildRole(stack, {
        clusterName: 'core-review-*',
        serviceNames: ['core-review-*'],
        runTaskDefinitionFamilies: ['core-review-*'],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'RunOneOffTasksInCluster',
              Resource: `${ECS}:task-definition/core-review-*:*`,
              Condition: { ArnLike: { 'ecs:cluster': `${ECS}:cluster/core-review-*` } },
            }),
            Match.objectLike({ Sid: 'UpdateServices', Resource: `${ECS}:service/core-review-*/core-review-*` }),
          ]),
        },
      });
    });
  });

  describe('GIVEN invalid props', () => {
    test('fails when the cluster name is a bare wildcard', () => {
      const stack = createTestStack();
      expect(() => buildRole(stack, { clusterName: '*' })).toThrow('clusterName must be a name of letters, digits, "-" or "_" (at least 3 characters), optionally ending in "*" to match a prefix, got "*"');
    });

    test('fails when a service name has a wildcard in the middle', () => {
      const stack = createTestStack();
      expect(() => buildRole(stack, { serviceNames: ['core-*-app'] })).toThrow('serviceNames must be a name of letters, digits');
    });

    test('fails when no service is named', () => {
      const stack = createTestStack();
      expect(() => buildRole(stack, { serviceNames: [] })).toThrow('serviceNames is empty');
    });

    test('fails when no task-definition family is named', () => {
      const stack = createTestStack();
      expect(() => buildRole(stack, { runTaskDefinitionFamilies: [] })).toThrow('runTaskDefinitionFamilies is empty');
    });

    test('fails when the passed role is a wildcard', () => {
      const stack = createTestStack();
      expect(() => buildRole(stack, { taskRoleArn: 'arn:aws:iam::123456789012:role/core-*' })).toThrow(/taskRoleArn must be a role ARN or a role-name pattern .*got "arn:aws:iam::123456789012:role\/core-\*"/);
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    buildRole(stack);
    expectToPassPolicies(stack, { trustedAccounts: ['999999999999'] }); // the meta account's CI role
  });
});

describe('ApplicationDeploymentRole role patterns', () => {
  const base = {
    roleName: 'core-dev-deployment',
    ciRoleArns: ['arn:aws:iam::210987654321:role/core-infra-nonprod'],
    clusterName: 'core-review-*',
    serviceNames: ['core-review-*'],
    runTaskDefinitionFamilies: ['core-review-*'],
  };

  test('passes per-review-app roles by a name pattern', () => {
    // GIVEN
    const stack = createTestStack();
    // WHEN
    new ApplicationDeploymentRole(stack, 'Role', {
      ...base,
      taskRoleArn: 'arn:aws:iam::123456789012:role/core-review-*-task',
      executionRoleArn: 'arn:aws:iam::123456789012:role/core-review-*-task-execution',
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'iam:PassRole',
            Resource: Match.arrayWith(['arn:aws:iam::123456789012:role/core-review-*-task', 'arn:aws:iam::123456789012:role/core-review-*-task-execution']),
          }),
        ]),
      },
    });
  });

  test.each([
    ['a whole account', 'arn:aws:iam::123456789012:role/*'],
    ['a wildcard account', 'arn:aws:iam::*:role/core-review-*-task'],
  ])('fails a pass-role pattern covering %s', (_label, arn) => {
    const stack = createTestStack();
    expect(() => new ApplicationDeploymentRole(stack, 'Role', { ...base, taskRoleArn: arn, executionRoleArn: 'arn:aws:iam::123456789012:role/core-dev-task-execution' })).toThrow(/taskRoleArn must be a role ARN or a role-name pattern/);
  });
});
