import { Duration, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { DeploymentStateStore } from '../../src/delivery/deployment-state-store';
import { GitHubActionsRole, type GitHubActionsRoleProps } from '../../src/delivery/github-actions-role';
import { ContainerRepository } from '../../src/registry/container-repository';
import { encryptedAlertTopic } from '../registry/alert-topic';

const PROVIDER_ARN = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
const STAGING_DEPLOY_ROLE = 'arn:aws:iam::222222222222:role/core-staging-deployment';
const STAGING_INFRA_ROLE = 'arn:aws:iam::222222222222:role/core-staging-infrastructure-deployment';
const PROD_DEPLOY_ROLE = 'arn:aws:iam::333333333333:role/core-prod-deployment';

function buildRole(stack: Stack, id: string, overrides: Partial<GitHubActionsRoleProps> = {}): GitHubActionsRole {
  return new GitHubActionsRole(stack, id, {
    oidcProvider: iam.OidcProviderNative.fromOidcProviderArn(stack, `${id}Provider`, PROVIDER_ARN),
    roleName: 'core-non-prod-ci',
    owner: 'communitiesuk',
    repository: 'submit-social-housing-lettings-and-sales-data',
    refs: ['refs/heads/main'],
    environments: ['staging'],
    ...overrides,
  });
}

type Condition = Record<string, Record<string, string | string[]>>;

/**
 * Decides, the way IAM does for the condition operators a trust policy may use, whether a
 * web-identity token with the given claims could assume a role.
 */
function trustAllows(trustPolicy: { Statement: Array<{ Effect: string; Action: string; Condition?: Condition }> }, claims: Record<string, string>): boolean {
  return trustPolicy.Statement.some((statement) => {
    if (statement.Effect !== 'Allow' || statement.Action !== 'sts:AssumeRoleWithWebIdentity') return false;
    return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
      Object.entries(keys).every(([key, expected]) => {
        const actual = claims[key.replace('token.actions.githubusercontent.com:', '')];
        const values = Array.isArray(expected) ? expected : [expected];
        if (operator === 'StringEquals') return values.includes(actual);
        if (operator === 'StringLike') return values.some((pattern) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(actual));
        throw new Error(`unexpected condition operator ${operator}`);
      }),
    );
  });
}

describe('GitHubActionsRole', () => {
  describe('GIVEN the non-prod CI role trusted for main and the staging environment', () => {
    let stack: Stack;
    let template: Template;
    let role: GitHubActionsRole;
    let trustPolicy: Parameters<typeof trustAllows>[0];

    beforeAll(() => {
      stack = createTestStack();
      const topic = encryptedAlertTopic(stack);
      const core = new ContainerRepository(stack, 'Core', { repositoryName: 'core', scanFindingsTopic: topic });
      const nonProdStore = new DeploymentStateStore(stack, 'NonProdState', { storeName: 'core-non-prod' });
      new DeploymentStateStore(stack, 'ProdState', { storeName: 'core-prod' });
      role = buildRole(stack, 'NonProdCi', {
        deploymentRoleArns: [STAGING_DEPLOY_ROLE, STAGING_INFRA_ROLE],
        pushRepositories: [core],
        stateStore: nonProdStore,
      });
      template = Template.fromStack(stack);
      const roles = template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'core-non-prod-ci' } });
      trustPolicy = Object.values(roles)[0].Properties.AssumeRolePolicyDocument;
    });

    test('THEN the trust pins the audience and lists each subject exactly', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'core-non-prod-ci',
        MaxSessionDuration: 3600,
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRoleWithWebIdentity',
              Principal: { Federated: PROVIDER_ARN },
              Condition: {
                StringEquals: {
                  'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                  'token.actions.githubusercontent.com:sub': [
                    'repo:communitiesuk/submit-social-housing-lettings-and-sales-data:ref:refs/heads/main',
                    'repo:communitiesuk/submit-social-housing-lettings-and-sales-data:environment:staging',
                  ],
                },
              },
            },
          ],
        },
      });
    });

    test('THEN the trust uses no pattern operator at all', () => {
      expect(JSON.stringify(trustPolicy)).not.toMatch(/StringLike|\*/);
    });

    test.each([
      ['a push to main', 'repo:communitiesuk/submit-social-housing-lettings-and-sales-data:ref:refs/heads/main'],
      ['a job in the staging environment', 'repo:communitiesuk/submit-social-housing-lettings-and-sales-data:environment:staging'],
    ])('THEN %s can assume the role', (_, sub) => {
      expect(trustAllows(trustPolicy, { aud: 'sts.amazonaws.com', sub })).toBe(true);
    });

    test.each([
      ['a fork with the same branch name', 'repo:evil/fork:ref:refs/heads/main'],
      ['another repository of the same owner', 'repo:communitiesuk/submit-social-housing-lettings-and-sales-data-infrastructure:ref:refs/heads/main'],
      ['a pull request', 'repo:communitiesuk/submit-social-housing-lettings-and-sales-data:pull_request'],
      ['an unlisted branch', 'repo:communitiesuk/submit-social-housing-lettings-and-sales-data:ref:refs/heads/feature'],
      ['a branch named like main', 'repo:communitiesuk/submit-social-housing-lettings-and-sales-data:ref:refs/heads/main-hotfix'],
      ['a tag', 'repo:communitiesuk/submit-social-housing-lettings-and-sales-data:ref:refs/tags/v1.0.0'],
      ['an unlisted environment', 'repo:communitiesuk/submit-social-housing-lettings-and-sales-data:environment:production'],
    ])('THEN %s cannot assume the role', (_, sub) => {
      expect(trustAllows(trustPolicy, { aud: 'sts.amazonaws.com', sub })).toBe(false);
    });

    test('THEN a token for another audience cannot assume the role', () => {
      const sub = 'repo:communitiesuk/submit-social-housing-lettings-and-sales-data:ref:refs/heads/main';
      expect(trustAllows(trustPolicy, { aud: 'https://github.com/communitiesuk', sub })).toBe(false);
    });

    test('THEN the role may assume only the named deployment roles', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('NonProdCiRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            { Sid: 'AssumeWorkloadDeploymentRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: [STAGING_DEPLOY_ROLE, STAGING_INFRA_ROLE] },
          ]),
        },
      });
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((policy) => JSON.stringify(policy.Properties.Roles).includes('NonProdCiRole'))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
      const assume = statements.filter((statement) => [statement.Action].flat().includes('sts:AssumeRole'));
      expect(assume.map((statement) => statement.Resource)).toEqual([[STAGING_DEPLOY_ROLE, STAGING_INFRA_ROLE]]);
    });

    test('THEN the role may push to the core repository', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('NonProdCiRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: Match.arrayWith(['ecr:PutImage']), Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('CoreRepository'), 'Arn'] } }),
          ]),
        },
      });
    });

    test('THEN the role may use the non-prod state store and cannot touch the prod store', () => {
      const policies = JSON.stringify(
        Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) => JSON.stringify(policy.Properties.Roles).includes('NonProdCiRole')),
      );
      expect(policies).toMatch(/NonProdStateBucket/);
      expect(policies).toMatch(/NonProdStateLockTable/);
      expect(policies).not.toMatch(/"ProdState/);
      const prodKeyPolicy = JSON.stringify(template.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('core-prod deployment state') } }));
      expect(prodKeyPolicy).not.toMatch(/NonProdCiRole/);
    });

    test('THEN the role exposes the subjects it trusts', () => {
      expect(role.subjects).toHaveLength(2);
    });
  });

  describe('GIVEN a production role trusted only for the production environment', () => {
    test('THEN only that environment is trusted and the session lasts as configured', () => {
      const stack = createTestStack();
      buildRole(stack, 'ProdCi', {
        roleName: 'core-prod-ci',
        refs: [],
        environments: ['production'],
        deploymentRoleArns: [PROD_DEPLOY_ROLE],
        maxSessionDuration: Duration.minutes(90),
      });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'core-prod-ci',
        MaxSessionDuration: 5400,
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Condition: {
                StringEquals: {
                  'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                  'token.actions.githubusercontent.com:sub': ['repo:communitiesuk/submit-social-housing-lettings-and-sales-data:environment:production'],
                },
              },
            }),
          ],
        },
      });
    });
  });

  describe('GIVEN wildcards or malformed names', () => {
    test.each([
      ['owner', { owner: '*' }, 'owner must not contain wildcards, got "*"'],
      ['repository', { repository: 'submit-*' }, 'repository must not contain wildcards, got "submit-*"'],
      ['refs', { refs: ['refs/heads/*'] }, 'refs must not contain wildcards, got "refs/heads/*"'],
      ['environments', { environments: ['prod*'] }, 'environments must not contain wildcards, got "prod*"'],
    ])('fails when %s contains a wildcard', (_, overrides, message) => {
      const stack = createTestStack();
      expect(() => buildRole(stack, 'Ci', overrides)).toThrow(message);
    });

    test('fails when a ref is a short branch name rather than a full ref', () => {
      const stack = createTestStack();
      expect(() => buildRole(stack, 'Ci', { refs: ['main'] })).toThrow('refs must be a full ref such as "refs/heads/main" or "refs/tags/v1.0.0", got "main"');
    });

    test('fails when the repository includes the owner', () => {
      const stack = createTestStack();
      expect(() => buildRole(stack, 'Ci', { repository: 'communitiesuk/core' })).toThrow('repository must be a repository name without the owner, got "communitiesuk/core"');
    });

    test('fails when neither a ref nor an environment is trusted', () => {
      const stack = createTestStack();
      expect(() => buildRole(stack, 'Ci', { refs: [], environments: [] })).toThrow('refs and environments are both empty');
    });

    test('fails when a deployment role is a wildcard', () => {
      const stack = createTestStack();
      expect(() => buildRole(stack, 'Ci', { deploymentRoleArns: ['arn:aws:iam::222222222222:role/*'] })).toThrow(
        'deploymentRoleArns must name roles exactly, got "arn:aws:iam::222222222222:role/*"',
      );
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    buildRole(stack, 'Ci');
    expectToPassPolicies(stack);
  });
});
