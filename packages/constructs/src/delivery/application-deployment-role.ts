import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import { assertRoleArns } from './iam-role-arn';
import { assertResourceName, createWorkloadDeploymentRole, type WorkloadDeploymentRoleProps } from './workload-deployment-role-props';
import { propsError } from '../shared/errors';

/** Props for {@link ApplicationDeploymentRole}. */
export interface ApplicationDeploymentRoleProps extends WorkloadDeploymentRoleProps {
  /** Name of the ECS cluster the application runs in, e.g. `core-staging-app`; a prefix such as `core-review-*` covers per-review-app clusters. */
  readonly clusterName: string;

  /** Names of the services the pipeline updates: the app and the worker (sidekiq). */
  readonly serviceNames: readonly string[];

  /** Task-definition families the pipeline may run as one-off tasks: the ad-hoc task (migrations) and the app. */
  readonly runTaskDefinitionFamilies: readonly string[];

  /**
   * ARN of the ECS task role the task definitions name. Used only as the resource of
   * `iam:PassRole`, so a role-name pattern with `*` (e.g. `…:role/core-review-*-task` for
   * per-review-app roles) is accepted; the account must be literal.
   */
  readonly taskRoleArn: string;

  /** ARN (or role-name pattern, as for {@link taskRoleArn}) of the ECS task-execution role the task definitions name. */
  readonly executionRoleArn: string;
}

/**
 * The role in a workload account that the meta account's CI role assumes to roll out a new
 * image: register task-definition revisions, pass exactly the task and execution roles to
 * ECS tasks, run the ad-hoc (migration) and app task definitions in the cluster, follow
 * those tasks, and update the app and worker services.
 *
 * `ecs:RegisterTaskDefinition` and `ecs:DescribeTaskDefinition` have no resource-level
 * permissions in IAM, so they are the only actions on `*`; what a registered revision can do
 * is bounded by `iam:PassRole` (two roles, to ECS tasks only) and by where it may run.
 */
export class ApplicationDeploymentRole extends Construct {
  /** The role. */
  public readonly role: iam.Role;

  /** ARN of the role. */
  public readonly roleArn: string;

  /** ARN (or ARN pattern) of the cluster the role deploys to. */
  public readonly clusterArn: string;

  constructor(scope: Construct, id: string, props: ApplicationDeploymentRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);

    assertResourceName(this, 'clusterName', props.clusterName);
    if (props.serviceNames.length === 0) {
      throw propsError(this, 'serviceNames is empty: name the app and worker services the pipeline updates');
    }
    props.serviceNames.forEach((name) => assertResourceName(this, 'serviceNames', name));
    if (props.runTaskDefinitionFamilies.length === 0) {
      throw propsError(this, 'runTaskDefinitionFamilies is empty: name the ad-hoc task-definition family the pipeline runs migrations with');
    }
    props.runTaskDefinitionFamilies.forEach((family) => assertResourceName(this, 'runTaskDefinitionFamilies', family));
    assertPassRoleArn(this, 'taskRoleArn', props.taskRoleArn);
    assertPassRoleArn(this, 'executionRoleArn', props.executionRoleArn);

    const ecsArn = (resource: string, resourceName: string): string =>
      stack.formatArn({ service: 'ecs', resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    this.clusterArn = ecsArn('cluster', props.clusterName);
    const clusterTasks = ecsArn('task', `${props.clusterName}/*`);

    this.role = createWorkloadDeploymentRole(this, props, `Deploys application images to ${props.clusterName} from CI`);
    this.roleArn = this.role.roleArn;

    const statements = [
      new iam.PolicyStatement({
        sid: 'RegisterTaskDefinitions',
        actions: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'PassTaskRolesToEcsTasks',
        actions: ['iam:PassRole'],
        resources: [props.taskRoleArn, props.executionRoleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
      new iam.PolicyStatement({
        sid: 'RunOneOffTasksInCluster',
        actions: ['ecs:RunTask'],
        resources: props.runTaskDefinitionFamilies.map((family) => stack.formatArn({ service: 'ecs', resource: 'task-definition', resourceName: `${family}:*` })),
        conditions: { ArnLike: { 'ecs:cluster': this.clusterArn } },
      }),
      new iam.PolicyStatement({
        sid: 'TagOneOffTasksAtLaunch',
        actions: ['ecs:TagResource'],
        resources: [clusterTasks],
        conditions: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
      }),
      new iam.PolicyStatement({
        sid: 'FollowTasksInCluster',
        actions: ['ecs:DescribeTasks'],
        resources: [clusterTasks],
      }),
      new iam.PolicyStatement({
        sid: 'UpdateServices',
        actions: ['ecs:DescribeServices', 'ecs:UpdateService'],
        resources: props.serviceNames.map((name) => ecsArn('service', `${props.clusterName}/${name}`)),
      }),
    ];
    for (const statement of statements) {
      this.role.addToPrincipalPolicy(statement);
    }
  }
}

/**
 * Checks a role ARN given to `iam:PassRole`: a literal account and a role name that may contain
 * `*` after a literal prefix, so it can cover a family of roles but never a whole account.
 */
function assertPassRoleArn(scope: IConstruct, propName: string, arn: string): void {
  if (Token.isUnresolved(arn) || !arn.includes('*')) {
    assertRoleArns(scope, propName, [arn]);
    return;
  }
  if (!/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{8,}\*[\w+=,.@/*-]*$/.test(arn)) {
    throw propsError(scope, `${propName} must be a role ARN or a role-name pattern with a literal account and a name prefix of at least 8 characters before "*", got "${arn}": e.g. "arn:aws:iam::123456789012:role/core-review-*-task"`);
  }
}
