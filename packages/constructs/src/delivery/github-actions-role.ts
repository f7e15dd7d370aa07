import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import type { ContainerRepository } from '../registry/container-repository';
import type { DeploymentStateStore } from './deployment-state-store';
import { assertRoleArns } from './iam-role-arn';
import { propsError } from '../shared/errors';

/** Host of GitHub Actions' OIDC issuer; also the prefix of its IAM condition keys. */
export const GITHUB_ACTIONS_OIDC_HOST = 'token.actions.githubusercontent.com';

/** Audience GitHub Actions requests for AWS (`aws-actions/configure-aws-credentials`). */
export const GITHUB_ACTIONS_AUDIENCE = 'sts.amazonaws.com';

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;
const REF = /^refs\/(heads|tags)\/[A-Za-z0-9._/-]+$/;
const ENVIRONMENT = /^[A-Za-z0-9._ -]{1,255}$/;

/** Props for {@link GitHubActionsRole}. */
export interface GitHubActionsRoleProps {
  /** The account's GitHub Actions OIDC provider. */
  readonly oidcProvider: iam.IOidcProvider;

  /** Role name; fixed so the workload accounts can trust it by ARN, e.g. `core-non-prod-ci`. */
  readonly roleName: string;

  /** GitHub organisation or user that owns the repository, e.g. `communitiesuk`. */
  readonly owner: string;

  /** Repository name without the owner, e.g. `submit-social-housing-lettings-and-sales-data`. */
  readonly repository: string;

  /**
   * Git refs whose workflow runs may assume the role (jobs without a GitHub environment),
   * each a full ref such as `refs/heads/main` or `refs/tags/v1.0.0`.
   *
   * @default - no ref; only the listed environments may assume the role
   */
  readonly refs?: readonly string[];

  /**
   * GitHub environments whose jobs may assume the role, e.g. `production`. A job that names
   * an environment presents the environment, not its ref, so list it here; its protection
   * rules (required reviewers, deployment branches) then gate the role.
   *
   * @default - no environment; only the listed refs may assume the role
   */
  readonly environments?: readonly string[];

  /**
   * ARNs of the deployment roles in the workload accounts the role may assume (and tag the
   * session of) to deploy.
   *
   * @default - none
   */
  readonly deploymentRoleArns?: readonly string[];

  /**
   * Container repositories the role pushes images to.
   *
   * @default - none
   */
  readonly pushRepositories?: readonly ContainerRepository[];

  /**
   * The deployment state store of the environments this role deploys; it may take locks and
   * archive assemblies there, and nowhere else.
   *
   * @default - no state store access
   */
  readonly stateStore?: DeploymentStateStore;

  /**
   * Longest session the role hands out.
   *
   * @default - 1 hour
   */
  readonly maxSessionDuration?: Duration;

  /**
   * Description of the role.
   *
   * @default - names the repository and the refs and environments trusted
   */
  readonly description?: string;
}

/**
 * An IAM role that GitHub Actions workflows of one repository assume through OIDC, trusted
 * only for the listed refs and GitHub environments: the trust policy compares the token's
 * `sub` claim with `StringEquals` against an explicit list (no wildcards), and its `aud`
 * with `sts.amazonaws.com`. Pull requests, forks, other branches and other repositories
 * therefore cannot assume it.
 *
 * The role may only assume the named deployment roles of the workload accounts, push to the
 * given repositories and use the given state store.
 */
export class GitHubActionsRole extends Construct {
  /** The role. */
  public readonly role: iam.Role;

  /** ARN of the role. */
  public readonly roleArn: string;

  /** `sub` claims the trust policy accepts. */
  public readonly subjects: readonly string[];

  /** Deployment roles the role may assume. */
  public readonly deploymentRoleArns: readonly string[];

  constructor(scope: Construct, id: string, props: GitHubActionsRoleProps) {
    super(scope, id);

    const refs = props.refs ?? [];
    const environments = props.environments ?? [];
    this.deploymentRoleArns = props.deploymentRoleArns ?? [];
    assertGitHubName(this, 'owner', props.owner, OWNER, 'a GitHub organisation or user such as "communitiesuk"');
    assertGitHubName(this, 'repository', props.repository, REPOSITORY, 'a repository name without the owner');
    refs.forEach((ref) => assertGitHubName(this, 'refs', ref, REF, 'a full ref such as "refs/heads/main" or "refs/tags/v1.0.0"'));
    environments.forEach((environment) => assertGitHubName(this, 'environments', environment, ENVIRONMENT, 'a GitHub environment name such as "production"'));
    assertRoleArns(this, 'deploymentRoleArns', this.deploymentRoleArns);
    if (refs.length === 0 && environments.length === 0) {
      throw propsError(this, 'refs and environments are both empty: name at least one ref (e.g. "refs/heads/main") or GitHub environment that may assume this role');
    }

    const repo = `repo:${props.owner}/${props.repository}`;
    this.subjects = [...refs.map((ref) => `${repo}:ref:${ref}`), ...environments.map((environment) => `${repo}:environment:${environment}`)];

    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: props.description ?? `GitHub Actions of ${props.owner}/${props.repository} (${[...refs, ...environments.map((e) => `environment ${e}`)].join(', ')})`.slice(0, 1000),
      maxSessionDuration: props.maxSessionDuration ?? Duration.hours(1),
      assumedBy: new iam.WebIdentityPrincipal(props.oidcProvider.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_ACTIONS_OIDC_HOST}:aud`]: GITHUB_ACTIONS_AUDIENCE,
          [`${GITHUB_ACTIONS_OIDC_HOST}:sub`]: [...this.subjects],
        },
      }),
    });
    this.roleArn = this.role.roleArn;

    if (this.deploymentRoleArns.length > 0) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'AssumeWorkloadDeploymentRoles',
          // configure-aws-credentials tags chained sessions with the repository and run.
          actions: ['sts:AssumeRole', 'sts:TagSession'],
          resources: [...this.deploymentRoleArns],
        }),
      );
    }
    for (const repository of props.pushRepositories ?? []) {
      repository.grantPush(this.role);
    }
    props.stateStore?.grantReadWrite(this.role);
  }
}

function assertGitHubName(scope: IConstruct, propName: string, value: string, pattern: RegExp, expected: string): void {
  if (Token.isUnresolved(value)) {
    throw propsError(scope, `${propName} must be a literal string: the trust policy compares it exactly, so it cannot come from a deploy-time value`);
  }
  if (value.includes('*') || value.includes('?')) {
    throw propsError(scope, `${propName} must not contain wildcards, got "${value}": a wildcard would let other refs, pull requests or repositories assume the role; list each one exactly`);
  }
  if (!pattern.test(value)) {
    throw propsError(scope, `${propName} must be ${expected}, got "${value}"`);
  }
}
