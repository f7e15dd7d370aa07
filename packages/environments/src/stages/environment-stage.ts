import { Stage, type StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/schema';
import { taskExecutionRoleName, taskRoleName } from '../naming';
import { DeploymentAccessStack } from '../stacks/deployment-access-stack';
import { addWorkloadStacks, type WorkloadStacks } from './workload-stacks';
import { useBootstrapQualifier } from './bootstrap-qualifier';
import { BOOTSTRAP_PERMISSIONS_BOUNDARY } from './permissions-boundary';

/** Props of {@link EnvironmentStage}. */
export interface EnvironmentStageProps extends StageProps {
  /** The validated config of staging or production. */
  readonly config: EnvironmentConfig;
  /**
   * The environment's first deployment: no app and edge stacks yet (see `FIRST_DEPLOY_CONTEXT`).
   *
   * @default false
   */
  readonly firstDeploy?: boolean;
}

/**
 * A full environment (staging, production): monitoring, network, data, app and edge stacks plus
 * the roles CI deploys through.
 */
export class EnvironmentStage extends Stage {
  /** The environment's stacks. */
  public readonly stacks: WorkloadStacks;
  /** The deployment roles. */
  public readonly deploymentAccess: DeploymentAccessStack;

  constructor(scope: Construct, id: string, props: EnvironmentStageProps) {
    super(scope, id, { permissionsBoundary: BOOTSTRAP_PERMISSIONS_BOUNDARY, ...props });
    useBootstrapQualifier(this, props.config.bootstrapQualifier);
    const { config } = props;
    this.stacks = addWorkloadStacks(this, config, { withApplication: true, firstDeploy: props.firstDeploy });
    this.deploymentAccess = new DeploymentAccessStack(this, 'deployment-access', {
      env: { account: config.account, region: config.region },
      config,
      application: {
        clusterName: `${config.prefix}-app`,
        serviceNames: [`${config.prefix}-app`, `${config.prefix}-sidekiq`],
        runTaskDefinitionFamilies: [`${config.prefix}-ad-hoc`, `${config.prefix}-app`],
        taskRoleName: taskRoleName(config.prefix),
        executionRoleName: taskExecutionRoleName(config.prefix),
      },
    });
  }
}
