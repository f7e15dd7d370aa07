import type { Stage } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { EnvironmentConfig } from '../config/schema';
import { AppStack } from '../stacks/app-stack';
import { DataStack } from '../stacks/data-stack';
import { EDGE_REGION, EdgeStack, edgeAlertTopicName } from '../stacks/edge-stack';
import { MonitoringStack } from '../stacks/monitoring-stack';
import { NetworkStack } from '../stacks/network-stack';

/** Options of {@link addWorkloadStacks}. */
export interface WorkloadStacksOptions {
  /** Whether the environment runs its own application and Redis (dev's review apps run theirs). */
  readonly withApplication: boolean;
  /**
   * The environment's first deployment: leave out the app and edge stacks (see `FIRST_DEPLOY_CONTEXT`).
   *
   * @default false
   */
  readonly firstDeploy?: boolean;
}

/** The stacks every workload environment has, split by lifecycle. */
export interface WorkloadStacks {
  /** Alerting and the budget. */
  readonly monitoring: MonitoringStack;
  /** The VPC. */
  readonly network: NetworkStack;
  /** Stateful resources (termination-protected). */
  readonly data: DataStack;
  /** Load balancer and, except in dev, the application; undefined in a first deployment. */
  readonly app?: AppStack;
  /** CloudFront, WAF and Shield in us-east-1; undefined in a first deployment. */
  readonly edge?: EdgeStack;
}

/**
 * Adds the monitoring, network, data, app and edge stacks of a workload environment to a stage;
 * a first deployment adds only monitoring, network and data.
 *
 * @param stage the environment's stage
 * @param config its validated config
 * @param options whether the environment runs its own application, and whether this is its first deployment
 */
export function addWorkloadStacks(stage: Stage, config: EnvironmentConfig, options: WorkloadStacksOptions): WorkloadStacks {
  const env = { account: config.account, region: config.region };
  const tags = { ...config.tags, Environment: config.prefix };
  const monitoring = new MonitoringStack(stage, 'monitoring', {
    env,
    tags,
    prefix: config.prefix,
    displayName: config.prefix,
    budgetUsd: config.monitoring.budgetUsd,
    alertEmail: config.monitoring.alertEmail,
  });
  const network = new NetworkStack(stage, 'network', { env, tags, config });
  const data = new DataStack(stage, 'data', { env, tags, config, vpc: network.network.vpc, alarmTopic: monitoring.alertTopic, redis: options.withApplication });
  if (options.firstDeploy) return { monitoring, network, data };
  const app = new AppStack(stage, 'app', { env, tags, config, network: network.network, data, alarmTopic: monitoring.alertTopic, withApplication: options.withApplication });

  const notifierArn = `arn:aws:lambda:${config.region}:${config.account}:function:${monitoring.notifierFunctionName}`;
  const edge = new EdgeStack(stage, 'edge', { env: { account: config.account, region: EDGE_REGION }, tags, config, notifierFunctionArn: notifierArn });
  monitoring.notifier.function.addPermission('EdgeAlerts', {
    principal: new iam.ServicePrincipal('sns.amazonaws.com'),
    sourceArn: `arn:aws:sns:${EDGE_REGION}:${config.account}:${edgeAlertTopicName(config.prefix)}`,
  });
  edge.addStackDependency(monitoring, 'the edge alert topic subscribes the Slack notifier');
  edge.addStackDependency(app, 'CloudFront needs the origin-header secret replicated to us-east-1 by the app stack');
  return { monitoring, network, data, app, edge };
}
