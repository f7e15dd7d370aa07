import { Stack, type StackProps } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlertTopic, EdgeDistribution, EdgeWebAcl } from '@core-infra/constructs';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/schema';
import { originHeaderSecretName } from './app-stack';

/** Region of CloudFront's certificate, web ACL and metrics. */
export const EDGE_REGION = 'us-east-1';

/** Props of {@link EdgeStack}. */
export interface EdgeStackProps extends StackProps {
  /** The environment's config. */
  readonly config: EnvironmentConfig;
  /** ARN of the Slack notifier function (in the environment's region) that relays edge alarms. */
  readonly notifierFunctionArn: string;
}

/**
 * The us-east-1 half of the request path: certificate, WAF web ACL, CloudFront distribution,
 * Shield protection of the distribution when enabled, and the alert topic for CloudFront's
 * alarm. It refers to the regional stacks only by name (the origin hostname and the origin-header
 * secret, which is replicated here), so it synthesizes with no cross-region references.
 */
export class EdgeStack extends Stack {
  /** The distribution. */
  public readonly distribution: EdgeDistribution;
  /** The alert topic in us-east-1. */
  public readonly alertTopic: sns.ITopic;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { config } = props;
    const topic = new AlertTopic(this, 'EdgeAlerts', { topicName: edgeAlertTopicName(config.prefix), publishingServices: ['cloudwatch.amazonaws.com'] });
    this.alertTopic = topic.topic;
    new sns.Subscription(this, 'EdgeAlertsToSlack', { topic: topic.topic, protocol: sns.SubscriptionProtocol.LAMBDA, endpoint: props.notifierFunctionArn });

    const webAcl = new EdgeWebAcl(this, 'WebAcl', {
      webAclName: config.prefix,
      restrictToAllowedCountries: config.edge.geoRestriction,
      allowedIpv4Cidrs: config.edge.geoRestriction ? config.edge.allowlist : undefined,
    });
    this.distribution = new EdgeDistribution(this, 'Distribution', {
      domainName: config.hostnames.app,
      originDomainName: config.hostnames.loadBalancer,
      originHeaderSecretName: originHeaderSecretName(config.prefix),
      alarmTopic: topic.topic,
      webAcl,
      shieldAdvanced: config.edge.shield,
      namePrefix: config.prefix,
      suppressOkNotifications: config.app.suppressOkNotifications,
    });
  }
}

/** Name of the us-east-1 alert topic, e.g. `core-prod-alerts-us-east-1`. */
export function edgeAlertTopicName(prefix: string): string {
  return `${prefix}-alerts-${EDGE_REGION}`;
}
