import { Stack, TimeZone } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { propsError } from '../shared/errors';

/**
 * 00:00 UTC on 1 April, when CORE's new collection year starts: the app reads the collection
 * dates at boot, so every task must restart.
 */
export const COLLECTION_ROLLOVER_SCHEDULE = 'cron(0 0 1 4 ? *)';

/** Props for {@link ServiceRedeploySchedule}. */
export interface ServiceRedeployScheduleProps {
  /** Services to force a new deployment of (all in the same cluster or not). */
  readonly services: readonly ecs.IBaseService[];

  /** Key that encrypts the schedules; the scheduler role may decrypt with it. */
  readonly encryptionKey: kms.IKey;

  /**
   * EventBridge Scheduler expression of when to redeploy.
   *
   * @default {@link COLLECTION_ROLLOVER_SCHEDULE} - 00:00 UTC on 1 April
   */
  readonly scheduleExpression?: string;

  /**
   * Time zone of the expression.
   *
   * @default TimeZone.ETC_UTC
   */
  readonly timeZone?: TimeZone;

  /**
   * What the schedules are for, shown in the console.
   *
   * @default 'Collection rollover: restart every task on 1 April'
   */
  readonly description?: string;
}

/**
 * EventBridge Scheduler schedules that call `ecs:UpdateService` with `ForceNewDeployment` on
 * each service, through a role that may update (and describe) only those services.
 */
export class ServiceRedeploySchedule extends Construct {
  /** One schedule per service, in the order given. */
  public readonly schedules: scheduler.Schedule[] = [];

  /** The role EventBridge Scheduler assumes. */
  public readonly role: iam.Role;

  /** Expression in force. */
  public readonly scheduleExpression: string;

  constructor(scope: Construct, id: string, props: ServiceRedeployScheduleProps) {
    super(scope, id);

    if (props.services.length === 0) {
      throw propsError(this, 'services must not be empty: pass the services to redeploy, e.g. the app and worker services');
    }
    this.scheduleExpression = props.scheduleExpression ?? COLLECTION_ROLLOVER_SCHEDULE;
    if (!/^(cron|rate|at)\(.+\)$/.test(this.scheduleExpression)) {
      throw propsError(this, `scheduleExpression must be an EventBridge Scheduler expression such as "cron(0 0 1 4 ? *)", got "${this.scheduleExpression}"`);
    }
    const timeZone = props.timeZone ?? TimeZone.ETC_UTC;
    const account = Stack.of(this).account;

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
      description: 'Forces new deployments of named ECS services on a schedule',
    });
    const serviceArns = props.services.map((service) => service.serviceArn);
    const policyStatements = [new iam.PolicyStatement({ actions: ['ecs:UpdateService', 'ecs:DescribeServices'], resources: serviceArns })];

    props.services.forEach((service, index) => {
      this.schedules.push(
        new scheduler.Schedule(this, `Schedule${index}`, {
          description: props.description ?? 'Collection rollover: restart every task on 1 April',
          schedule: scheduler.ScheduleExpression.expression(this.scheduleExpression, timeZone),
          key: props.encryptionKey,
          target: new schedulerTargets.Universal({
            service: 'ecs',
            action: 'updateService',
            role: this.role,
            policyStatements,
            input: scheduler.ScheduleTargetInput.fromObject({
              Cluster: service.cluster.clusterArn,
              Service: service.serviceName,
              ForceNewDeployment: true,
            }),
          }),
        }),
      );
    });
  }
}
