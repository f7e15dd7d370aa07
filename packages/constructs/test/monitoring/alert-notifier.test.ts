import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { createTestApp, createTestStack, expectToPassPolicies, TEST_ENV } from '@core-infra/testing';
import { AlertNotifier } from '../../src/monitoring/alert-notifier';
import { AlertTopic } from '../../src/monitoring/alert-topic';
import { importedVpc } from '../app/fixtures';

/** The monitoring secret lives in the data stack; import it with its key, as an environment does. */
function webhookSecret(stack: Stack): secretsmanager.ISecret {
  return secretsmanager.Secret.fromSecretAttributes(stack, 'Webhook', {
    secretCompleteArn: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:core-test/slack-webhook-AbCdEf',
    encryptionKey: kms.Key.fromKeyArn(stack, 'WebhookKey', 'arn:aws:kms:eu-west-2:123456789012:key/12345678-aaaa-bbbb-cccc-1234567890ab'),
  });
}

describe('AlertNotifier', () => {
  describe('GIVEN default props subscribed to a regional alert topic', () => {
    let template: Template;
    let notifier: AlertNotifier;

    beforeAll(() => {
      const stack = createTestStack();
      const alerts = new AlertTopic(stack, 'Alerts');
      notifier = new AlertNotifier(stack, 'Notifier', {
        webhookSecret: webhookSecret(stack),
        environmentName: 'Production',
        deadLetterEmail: 'core-alerts@example.gov.uk',
        topics: [alerts.topic],
      });
      template = Template.fromStack(stack);
    });

    test('THEN the function runs on Node.js 24 with a 30 s timeout and reserved concurrency', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        Timeout: 30,
        ReservedConcurrentExecutions: 10,
      });
      expect(notifier.reservedConcurrentExecutions).toBe(10);
    });

    test('THEN the environment holds only the webhook secret ARN and the environment name, encrypted with the CMK', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            SLACK_WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:core-test/slack-webhook-AbCdEf',
            ENVIRONMENT_NAME: 'Production',
          },
        },
        KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('NotifierKey'), 'Arn'] },
      });
      const functions = template.findResources('AWS::Lambda::Function');
      const variables = Object.values(functions)[0].Properties.Environment.Variables as Record<string, unknown>;
      expect(Object.keys(variables).sort()).toEqual(['ENVIRONMENT_NAME', 'SLACK_WEBHOOK_SECRET_ARN']);
      expect(JSON.stringify(variables)).not.toMatch(/hooks\.slack\.com/);
    });

    test('THEN failed invocations go to an encrypted dead-letter topic that emails the configured address', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        DeadLetterConfig: { TargetArn: { Ref: Match.stringLikeRegexp('NotifierDeadLetterTopic') } },
      });
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('NotifierKey'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'core-alerts@example.gov.uk',
        TopicArn: { Ref: Match.stringLikeRegexp('NotifierDeadLetterTopic') },
      });
    });

    test('THEN the function subscribes to the given topic and SNS may invoke it', () => {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        TopicArn: { Ref: Match.stringLikeRegexp('AlertsTopic') },
        Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('NotifierFunction'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'sns.amazonaws.com',
        SourceArn: { Ref: Match.stringLikeRegexp('AlertsTopic') },
      });
    });

    test('THEN the log group is encrypted with the CMK, kept a year and retained', () => {
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: {
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('NotifierKey'), 'Arn'] },
          RetentionInDays: 365,
        },
        DeletionPolicy: 'Retain',
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('NotifierLogGroup') } },
      });
    });

    test('THEN the role carries no managed policies and reads only the webhook secret', () => {
      const roles = template.findResources('AWS::IAM::Role', {
        Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] } },
      });
      expect(Object.keys(roles)).toHaveLength(1);
      expect(Object.values(roles)[0].Properties.ManagedPolicyArns).toBeUndefined();
      const expectedStatements = [
        { Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Resource: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:core-test/slack-webhook-AbCdEf' },
        {
          Action: 'kms:Decrypt',
          Resource: 'arn:aws:kms:eu-west-2:123456789012:key/12345678-aaaa-bbbb-cccc-1234567890ab',
          Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-2.amazonaws.com' } },
        },
        { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('NotifierLogGroup'), 'Arn'] } },
        { Action: 'sns:Publish', Resource: { Ref: Match.stringLikeRegexp('NotifierDeadLetterTopic') } },
        { Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('NotifierKey'), 'Arn'] } },
      ];
      for (const statement of expectedStatements) {
        template.hasResourceProperties('AWS::IAM::Policy', {
          Roles: [{ Ref: Match.stringLikeRegexp('NotifierRole') }],
          PolicyDocument: { Statement: Match.arrayWith([Match.objectLike(statement)]) },
        });
      }
      const policy = Object.values(template.findResources('AWS::IAM::Policy'))[0];
      expect(policy.Properties.PolicyDocument.Statement).toHaveLength(expectedStatements.length);
    });

    test('THEN no IAM statement grants a wildcard action', () => {
      const policies = template.findResources('AWS::IAM::Policy');
      const actions = Object.values(policies).flatMap((policy) =>
        (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((statement) => [statement.Action].flat()),
      );
      expect(actions.filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
    });
  });

  describe('GIVEN an alert topic in us-east-1 and the notifier in eu-west-2', () => {
    test('THEN the notifier subscribes across regions through cross-region references', () => {
      const app = createTestApp();
      const edge = new Stack(app, 'Edge', { env: { account: TEST_ENV.account, region: 'us-east-1' }, crossRegionReferences: true });
      const regional = new Stack(app, 'Monitoring', { env: TEST_ENV, crossRegionReferences: true });
      const edgeAlerts = new AlertTopic(edge, 'EdgeAlerts');
      const notifier = new AlertNotifier(regional, 'Notifier', {
        webhookSecret: secretsmanager.Secret.fromSecretNameV2(regional, 'Webhook', 'core-test/slack-webhook'),
        environmentName: 'Staging',
        deadLetterEmail: 'core-alerts@example.gov.uk',
      });
      notifier.subscribeTo(edgeAlerts.topic);
      notifier.subscribeTo(edgeAlerts.topic);

      const template = Template.fromStack(regional);
      template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'lambda', Region: 'us-east-1' }, 1);
      app.synth();
    });

    test('THEN a topic imported by literal ARN needs no cross-region references', () => {
      const stack = createTestStack();
      const notifier = new AlertNotifier(stack, 'Notifier', {
        webhookSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Webhook', 'core-test/slack-webhook'),
        environmentName: 'Staging',
        deadLetterEmail: 'core-alerts@example.gov.uk',
      });
      notifier.subscribeTo(sns.Topic.fromTopicArn(stack, 'EdgeTopic', 'arn:aws:sns:us-east-1:123456789012:core-staging-edge-alerts'));
      Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        Region: 'us-east-1',
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:core-staging-edge-alerts',
      });
    });
  });

  describe('GIVEN a VPC', () => {
    test('THEN the function runs in the private subnets with a group that only sends HTTPS', () => {
      const stack = createTestStack();
      new AlertNotifier(stack, 'Notifier', {
        webhookSecret: webhookSecret(stack),
        environmentName: 'Production',
        deadLetterEmail: 'core-alerts@example.gov.uk',
        vpc: importedVpc(stack),
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Lambda::Function', {
        VpcConfig: { SubnetIds: ['subnet-0b000000000000001', 'subnet-0b000000000000002', 'subnet-0b000000000000003'], SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('NotifierSecurityGroup'), 'GroupId'] }] },
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })],
      });
    });
  });

  describe('GIVEN wrong props', () => {
    const base = () => {
      const stack = createTestStack();
      return { stack, webhookSecret: webhookSecret(stack), environmentName: 'Production', deadLetterEmail: 'core-alerts@example.gov.uk' };
    };

    test('fails when reserved concurrency is zero', () => {
      const { stack, ...props } = base();
      expect(() => new AlertNotifier(stack, 'Notifier', { ...props, reservedConcurrentExecutions: 0 })).toThrow(/reservedConcurrentExecutions must be a whole number of at least 1, got 0/);
    });

    test('fails when the dead-letter email is not an address', () => {
      const { stack, ...props } = base();
      expect(() => new AlertNotifier(stack, 'Notifier', { ...props, deadLetterEmail: 'core-alerts' })).toThrow(/deadLetterEmail must be an email address, got "core-alerts"/);
    });

    test('fails when the environment name is empty', () => {
      const { stack, ...props } = base();
      expect(() => new AlertNotifier(stack, 'Notifier', { ...props, environmentName: ' ' })).toThrow(/environmentName must not be empty/);
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    new AlertNotifier(stack, 'Notifier', {
      webhookSecret: webhookSecret(stack),
      environmentName: 'Production',
      deadLetterEmail: 'core-alerts@example.gov.uk',
    });
    expectToPassPolicies(stack);
  });
});
