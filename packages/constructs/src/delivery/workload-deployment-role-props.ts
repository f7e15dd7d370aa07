import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';
import { assertRoleArns } from './iam-role-arn';
import { propsError } from '../shared/errors';

/** Props every deployment role of a workload account shares. */
export interface WorkloadDeploymentRoleProps {
  /** Role name; fixed so the meta account's CI role can be allowed to assume it by ARN, e.g. `core-staging-deployment`. */
  readonly roleName: string;

  /** ARNs of the meta account's CI roles that may assume this role (and tag the session). */
  readonly ciRoleArns: readonly string[];

  /**
   * Longest session the role hands out. Role chaining caps sessions at one hour anyway.
   *
   * @default - 1 hour
   */
  readonly maxSessionDuration?: Duration;
}

/**
 * Creates a role that only the named CI roles may assume, with session tags allowed because
 * `aws-actions/configure-aws-credentials` tags chained sessions.
 *
 * @internal
 */
export function createWorkloadDeploymentRole(scope: Construct, props: WorkloadDeploymentRoleProps, description: string): iam.Role {
  assertRoleArns(scope, 'ciRoleArns', props.ciRoleArns);
  if (props.ciRoleArns.length === 0) {
    throw propsError(scope, 'ciRoleArns is empty: name the meta account CI role that deploys to this account, e.g. "arn:aws:iam::<meta account>:role/core-non-prod-ci"');
  }
  const trusted = props.ciRoleArns.map((arn) => new iam.ArnPrincipal(arn));
  return new iam.Role(scope, 'Role', {
    roleName: props.roleName,
    description,
    maxSessionDuration: props.maxSessionDuration ?? Duration.hours(1),
    assumedBy: new iam.CompositePrincipal(...trusted).withSessionTags(),
  });
}

/**
 * Checks an ECS (or other) resource name used in an ARN: a literal name, or a prefix ending in
 * `*` (e.g. `core-review-*` for the per-review-app clusters), never a bare wildcard.
 *
 * @param scope the construct whose props these are, named in the error
 * @internal
 */
export function assertResourceName(scope: IConstruct, propName: string, name: string): void {
  if (Token.isUnresolved(name)) return;
  if (!/^[A-Za-z0-9_-]{3,255}\*?$/.test(name)) {
    throw propsError(
      scope,
      `${propName} must be a name of letters, digits, "-" or "_" (at least 3 characters), optionally ending in "*" to match a prefix, got "${name}": name the resource, e.g. "core-staging-app" or "core-review-*"`,
    );
  }
}
