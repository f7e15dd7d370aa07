import { Duration, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { InfrastructureDeploymentRole, type InfrastructureDeploymentRoleProps } from '../../src/delivery/infrastructure-deployment-role';

const NON_PROD_CI_ROLE = 'arn:aws:iam::999999999999:role/core-non-prod-ci';

function buildRole(stack: Stack, overrides: Partial<InfrastructureDeploymentRoleProps> = {}): InfrastructureDeploymentRole {
  return new InfrastructureDeploymentRole(stack, 'InfrastructureDeployment', {
    roleName: 'core-staging-infrastructure-deployment',
    ciRoleArns: [NON_PROD_CI_ROLE],
    ...overrides,
  });
}

function bootstrapRoles(qualifier: string, region: string): string[] {
  return ['deploy-role', 'file-publishing-role', 'image-publishing-role', 'lookup-role'].map(
    (kind) => `arn:aws:iam::123456789012:role/cdk-${qualifier}-${kind}-123456789012-${region}`,
  );
}

describe('InfrastructureDeploymentRole', () => {
  describe('GIVEN the staging account trusting the non-prod CI role', () => {
    let template: Template;
    let role: InfrastructureDeploymentRole;

    beforeAll(() => {
      const stack = createTestStack();
      role = buildRole(stack);
      template = Template.fromStack(stack);
    });

    test('THEN only the named CI role may assume it, with session tags', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'core-staging-infrastructure-deployment',
        MaxSessionDuration: 3600,
        AssumeRolePolicyDocument: {
          Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { AWS: NON_PROD_CI_ROLE } }],
        },
      });
    });

    test('THEN it may assume only the CDK bootstrap roles of this account and region', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [{ Sid: 'AssumeCdkBootstrapRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: bootstrapRoles('hnb659fds', 'eu-west-2') }],
        },
      });
      expect(role.bootstrapQualifier).toBe('hnb659fds');
      expect(role.bootstrapRegions).toEqual(['eu-west-2']);
    });

    test('THEN it has no other policy and no managed policy', () => {
      template.resourceCountIs('AWS::IAM::Policy', 1);
      template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
      template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    });
  });

  describe('GIVEN a custom qualifier and the edge region', () => {
    test('THEN the bootstrap roles of both regions with that qualifier are assumable', () => {
      const stack = createTestStack();
      buildRole(stack, { bootstrapQualifier: 'core', bootstrapRegions: ['eu-west-2', 'us-east-1'], maxSessionDuration: Duration.hours(2) });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [Match.objectLike({ Resource: [...bootstrapRoles('core', 'eu-west-2'), ...bootstrapRoles('core', 'us-east-1')].sort() })] },
      });
      template.hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: 7200 });
    });
  });

  describe('GIVEN invalid props', () => {
    test('fails when the CI role is a wildcard', () => {
      const stack = createTestStack();
      expect(() => buildRole(stack, { ciRoleArns: ['arn:aws:iam::999999999999:role/*'] })).toThrow('ciRoleArns must name roles exactly, got "arn:aws:iam::999999999999:role/*"');
    });

    test('fails when the CI principal is a whole account', () => {
      const stack = createTestStack();
      expect(() => buildRole(stack, { ciRoleArns: ['arn:aws:iam::999999999999:root'] })).toThrow(/ciRoleArns must contain IAM role ARNs/);
    });

    test('fails when no CI role is trusted', () => {
      const stack = createTestStack();
      expect(() => buildRole(stack, { ciRoleArns: [] })).toThrow('ciRoleArns is empty');
    });

    test('fails when the qualifier is not one cdk bootstrap accepts', () => {
      const stack = createTestStack();
      expect(() => buildRole(stack, { bootstrapQualifier: 'Core-Infra' })).toThrow('bootstrapQualifier must be 1 to 10 lowercase letters or digits, got "Core-Infra"');
    });

    test('fails when a bootstrap region is not a region', () => {
      const stack = createTestStack();
      expect(() => buildRole(stack, { bootstrapRegions: ['*'] })).toThrow('bootstrapRegions must contain AWS regions such as "eu-west-2", got "*"');
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    buildRole(stack);
    expectToPassPolicies(stack, { trustedAccounts: ['999999999999'] }); // the meta account's CI role
  });
});
