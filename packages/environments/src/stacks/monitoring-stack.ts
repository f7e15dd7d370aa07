import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { AlertNotifier, AlertTopic, EncryptionKey, MonthlyBudget } from '@core-infra/constructs';
import type { Construct } from 'constructs';

/** Props of {@link MonitoringStack}. */
export interface MonitoringStackProps extends StackProps {
  /** Resource-name prefix, e.g. `core-prod`. */
  readonly prefix: string;
  /** Environment name shown in Slack messages, e.g. `Production`. */
  readonly displayName: string;
  /** Monthly budget in USD. */
  readonly budgetUsd: number;
  /** Mailbox that receives alerts Slack did not take. */
  readonly alertEmail: string;
}

/**
 * Alerting of one account: the regional alert topic, the Slack notifier (its webhook in Secrets
 * Manager, filled in by hand after the first deploy) and the monthly budget.
 */
export class MonitoringStack extends Stack {
  /** Topic that alarms, budgets and EventBridge rules publish to. */
  public readonly alertTopic: sns.ITopic;
  /** The Slack notifier. */
  public readonly notifier: AlertNotifier;
  /** Physical name of the notifier function, for subscriptions from other regions. */
  public readonly notifierFunctionName: string;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const secretsKey = new EncryptionKey(this, 'MonitoringSecretsKey', {
      description: `${props.prefix} monitoring secrets (Slack webhook)`,
      alias: `${props.prefix}-monitoring-secrets`,
    });
    const webhook = new secretsmanager.Secret(this, 'SlackWebhook', {
      secretName: slackWebhookSecretName(props.prefix),
      description: 'Slack incoming-webhook URL for alerts; replace the generated value with the real URL after the first deploy',
      encryptionKey: secretsKey.key,
      // The webhook URL is entered by hand and exists nowhere else.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const topic = new AlertTopic(this, 'Alerts', { topicName: `${props.prefix}-alerts` });
    this.alertTopic = topic.topic;
    this.notifierFunctionName = `${props.prefix}-slack-alerts`;
    this.notifier = new AlertNotifier(this, 'SlackAlerts', {
      webhookSecret: webhook,
      environmentName: props.displayName,
      deadLetterEmail: props.alertEmail,
      topics: [topic.topic],
      functionName: this.notifierFunctionName,
    });
    new MonthlyBudget(this, 'Budget', { limitUsd: props.budgetUsd, topic: topic.topic, budgetName: `${props.prefix}-account-monthly-budget` });
  }
}

/** Name of the Secrets Manager secret holding the Slack webhook URL, e.g. `core-prod/monitoring/slack-webhook`. */
export function slackWebhookSecretName(prefix: string): string {
  return `${prefix}/monitoring/slack-webhook`;
}
