import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { createWorkloadDeploymentRole, type WorkloadDeploymentRoleProps } from './workload-deployment-role-props';
import { propsError } from '../shared/errors';

/** Qualifier of the CDK bootstrap stack unless the account was bootstrapped with another. */
export const DEFAULT_CDK_BOOTSTRAP_QUALIFIER = 'hnb659fds';

/** The CDK bootstrap roles the CLI assumes to deploy: deploy, asset publishing and lookup. */
const BOOTSTRAP_ROLE_KINDS = ['deploy-role', 'file-publishing-role', 'image-publishing-role', 'lookup-role'] as const;

/** Props for {@link InfrastructureDeploymentRole}. */
export interface InfrastructureDeploymentRoleProps extends WorkloadDeploymentRoleProps {
  /**
   * Qualifier the account was bootstrapped with (`cdk bootstrap --qualifier`).
   *
   * @default 'hnb659fds'
   */
  readonly bootstrapQualifier?: string;

  /**
   * Regions whose bootstrap roles the role may assume; include `us-east-1` when the
   * environment deploys its edge stack there.
   *
   * @default - this stack's region only
   */
  readonly bootstrapRegions?: readonly string[];
}

/**
 * The role in a workload account that the meta account's CI role assumes to run
 * `cdk deploy`. It can do nothing itself except assume this account's CDK bootstrap roles
 * (deploy, file and image publishing, lookup), which carry the real permissions: the deploy
 * role hands CloudFormation its execution role, so there is no hand-written broad policy here.
 */
export class InfrastructureDeploymentRole extends Construct {
  /** The role. */
  public readonly role: iam.Role;

  /** ARN of the role. */
  public readonly roleArn: string;

  /** Bootstrap qualifier in force. */
  public readonly bootstrapQualifier: string;

  /** Regions whose bootstrap roles may be assumed. */
  public readonly bootstrapRegions: readonly string[];

  /** ARNs of the bootstrap roles the role may assume. */
  public readonly bootstrapRoleArns: readonly string[];

  constructor(scope: Construct, id: string, props: InfrastructureDeploymentRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.bootstrapQualifier = props.bootstrapQualifier ?? DEFAULT_CDK_BOOTSTRAP_QUALIFIER;
    this.bootstrapRegions = props.bootstrapRegions ?? [stack.region];
    if (!/^[a-z0-9]{1,10}$/.test(this.bootstrapQualifier)) {
      throw propsError(this, `bootstrapQualifier must be 1 to 10 lowercase letters or digits, got "${this.bootstrapQualifier}": use the qualifier passed to cdk bootstrap (default "hnb659fds")`);
    }
    if (this.bootstrapRegions.length === 0) {
      throw propsError(this, 'bootstrapRegions is empty: list the regions this environment deploys to, or omit it for the stack region');
    }
    for (const region of this.bootstrapRegions) {
      if (!Token.isUnresolved(region) && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
        throw propsError(this, `bootstrapRegions must contain AWS regions such as "eu-west-2", got "${region}"`);
      }
    }

    this.bootstrapRoleArns = this.bootstrapRegions.flatMap((region) =>
      BOOTSTRAP_ROLE_KINDS.map((kind) =>
        stack.formatArn({
          service: 'iam',
          region: '',
          resource: 'role',
          resourceName: `cdk-${this.bootstrapQualifier}-${kind}-${stack.account}-${region}`,
        }),
      ),
    );

    this.role = createWorkloadDeploymentRole(this, props, `Runs cdk deploy from CI through the CDK bootstrap roles (${this.bootstrapQualifier})`);
    this.roleArn = this.role.roleArn;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: [...this.bootstrapRoleArns],
      }),
    );
  }
}
