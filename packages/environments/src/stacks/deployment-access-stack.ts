import { Stack, type StackProps } from 'aws-cdk-lib';
import { ApplicationDeploymentRole, InfrastructureDeploymentRole } from '@core-infra/constructs';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/schema';
import { applicationDeploymentRoleName, ciRoleArn, infrastructureDeploymentRoleName, roleArn } from '../naming';
import { EDGE_REGION } from './edge-stack';

/** The ECS names an application deployment role may act on. */
export interface DeployedApplication {
  /** Cluster name, or a prefix ending in `*` for review apps. */
  readonly clusterName: string;
  /** Service names (or prefixes ending in `*`). */
  readonly serviceNames: readonly string[];
  /** Task-definition families CI may run one-off tasks from. */
  readonly runTaskDefinitionFamilies: readonly string[];
  /** Name of the task role (or a prefix ending in `*`). */
  readonly taskRoleName: string;
  /** Name of the task execution role (or a prefix ending in `*`). */
  readonly executionRoleName: string;
}

/** Props of {@link DeploymentAccessStack}. */
export interface DeploymentAccessStackProps extends StackProps {
  /** The environment's config. */
  readonly config: EnvironmentConfig;
  /** What the application deployment role may deploy. */
  readonly application: DeployedApplication;
}

/**
 * The roles the meta account's CI roles assume in this account: one that can only assume the CDK
 * bootstrap roles (infrastructure deploys) and one that can only roll out application images.
 */
export class DeploymentAccessStack extends Stack {
  /** Role for `cdk deploy`. */
  public readonly infrastructureRole: InfrastructureDeploymentRole;
  /** Role for application image rollouts. */
  public readonly applicationRole: ApplicationDeploymentRole;

  constructor(scope: Construct, id: string, props: DeploymentAccessStackProps) {
    super(scope, id, props);
    const { config, application } = props;
    const metaAccount = config.registry.account;
    this.infrastructureRole = new InfrastructureDeploymentRole(this, 'InfrastructureDeploymentRole', {
      roleName: infrastructureDeploymentRoleName(config.prefix),
      ciRoleArns: [ciRoleArn(metaAccount, config.ci.infrastructureRepository, config.ci.scope)],
      bootstrapRegions: [config.region, EDGE_REGION],
      bootstrapQualifier: config.bootstrapQualifier,
    });
    this.applicationRole = new ApplicationDeploymentRole(this, 'ApplicationDeploymentRole', {
      roleName: applicationDeploymentRoleName(config.prefix),
      ciRoleArns: [ciRoleArn(metaAccount, config.ci.applicationRepository, config.ci.scope)],
      clusterName: application.clusterName,
      serviceNames: application.serviceNames,
      runTaskDefinitionFamilies: application.runTaskDefinitionFamilies,
      taskRoleArn: roleArn(config.account, application.taskRoleName),
      executionRoleArn: roleArn(config.account, application.executionRoleName),
    });
  }
}
