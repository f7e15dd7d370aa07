import { type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { GitHubActionsAccess } from '../../src/delivery/github-actions-access';

const REPOSITORY = { owner: 'communitiesuk', repository: 'submit-social-housing-lettings-and-sales-data' };

describe('GitHubActionsAccess', () => {
  describe('GIVEN a new provider with a non-prod and a prod CI role', () => {
    let stack: Stack;
    let template: Template;
    let access: GitHubActionsAccess;

    beforeAll(() => {
      stack = createTestStack();
      access = new GitHubActionsAccess(stack, 'GitHubActions');
      access.addRole('NonProdCi', { ...REPOSITORY, roleName: 'core-non-prod-ci', refs: ['refs/heads/main'], environments: ['staging', 'review'] });
      access.addRole('ProdCi', { ...REPOSITORY, roleName: 'core-prod-ci', environments: ['production'] });
      template = Template.fromStack(stack);
    });

    test('THEN one OIDC provider trusts GitHub Actions for the STS audience, with no pinned thumbprint', () => {
      template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
      template.hasResourceProperties('AWS::IAM::OIDCProvider', {
        Url: 'https://token.actions.githubusercontent.com',
        ClientIdList: ['sts.amazonaws.com'],
        ThumbprintList: Match.absent(),
      });
    });

    test('THEN both roles federate through that provider', () => {
      for (const roleName of ['core-non-prod-ci', 'core-prod-ci']) {
        template.hasResourceProperties('AWS::IAM::Role', {
          RoleName: roleName,
          AssumeRolePolicyDocument: {
            Statement: [Match.objectLike({ Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: { Ref: Match.stringLikeRegexp('GitHubActionsOidcProvider') } } })],
          },
        });
      }
      expect(access.roles.map((role) => role.subjects)).toEqual([
        [
          'repo:communitiesuk/submit-social-housing-lettings-and-sales-data:ref:refs/heads/main',
          'repo:communitiesuk/submit-social-housing-lettings-and-sales-data:environment:staging',
          'repo:communitiesuk/submit-social-housing-lettings-and-sales-data:environment:review',
        ],
        ['repo:communitiesuk/submit-social-housing-lettings-and-sales-data:environment:production'],
      ]);
    });
  });

  describe('GIVEN the account already has a GitHub provider', () => {
    test('THEN no provider is created and the roles trust the existing one', () => {
      const stack = createTestStack();
      const providerArn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
      const access = new GitHubActionsAccess(stack, 'GitHubActions', { existingOidcProviderArn: providerArn });
      access.addRole('Ci', { ...REPOSITORY, roleName: 'core-non-prod-ci', refs: ['refs/heads/main'] });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Federated: providerArn } })] },
      });
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    new GitHubActionsAccess(stack, 'GitHubActions');
    expectToPassPolicies(stack);
  });
});
