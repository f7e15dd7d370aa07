import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { EncryptionKey } from '../../src/security/encryption-key';
import { AlertTopic } from '../../src/monitoring/alert-topic';

describe('AlertTopic', () => {
  describe('GIVEN default props', () => {
    let template: Template;
    let alertTopic: AlertTopic;

    beforeAll(() => {
      const stack = createTestStack();
      alertTopic = new AlertTopic(stack, 'Alerts', { topicName: 'core-test-alerts' });
      new cloudwatch.Alarm(stack, 'Alarm', {
        metric: new cloudwatch.Metric({ namespace: 'Test', metricName: 'Errors' }),
        threshold: 1,
        evaluationPeriods: 1,
      }).addAlarmAction(alertTopic.alarmAction());
      template = Template.fromStack(stack);
    });

    test('THEN the topic is encrypted with the customer-managed key', () => {
      template.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: 'core-test-alerts',
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AlertsKey'), 'Arn'] },
      });
    });

    test('THEN only CloudWatch, AWS Budgets and EventBridge may publish, each for this account only', () => {
      for (const service of ['cloudwatch.amazonaws.com', 'budgets.amazonaws.com', 'events.amazonaws.com']) {
        template.hasResourceProperties('AWS::SNS::TopicPolicy', {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Allow',
                Principal: { Service: service },
                Action: 'sns:Publish',
                Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
              }),
            ]),
          },
        });
      }
      expect(alertTopic.publishingServices).toEqual(['cloudwatch.amazonaws.com', 'budgets.amazonaws.com', 'events.amazonaws.com']);
    });

    test('THEN principals of the own account may publish', () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'AllowPublishFromOwnAccount',
              Principal: { AWS: 'arn:aws:iam::123456789012:root' },
              Action: 'sns:Publish',
            }),
          ]),
        },
      });
    });

    test('THEN publishing without TLS is denied', () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    test('THEN the key policy lets each publishing service generate data keys for this account', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: ['budgets.amazonaws.com', 'cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
            }),
          ]),
        },
      });
    });

    test('THEN the key is retained', () => {
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    });

    test('THEN alarmAction notifies the topic', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmActions: [{ Ref: Match.stringLikeRegexp('AlertsTopic') }],
      });
    });
  });

  describe('GIVEN a us-east-1 stack and a narrower publisher list', () => {
    test('THEN the topic synthesizes there with only the named publisher', () => {
      const stack = createTestStack('EdgeAlerts', { env: { account: '123456789012', region: 'us-east-1' } });
      new AlertTopic(stack, 'Alerts', { publishingServices: ['cloudwatch.amazonaws.com'] });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SNS::Topic', 1);
      const policies = template.findResources('AWS::SNS::TopicPolicy');
      const statements = Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Principal?: { Service?: string } }[]);
      expect(statements.map((statement) => statement.Principal?.Service).filter(Boolean)).toEqual(['cloudwatch.amazonaws.com']);
    });
  });

  describe('GIVEN wrong props', () => {
    test('fails when a publishing service is not a service principal', () => {
      const stack = createTestStack();
      expect(() => new AlertTopic(stack, 'Alerts', { publishingServices: ['arn:aws:iam::123456789012:root'] })).toThrow(
        /publishingServices must hold AWS service principals, got "arn:aws:iam::123456789012:root"/,
      );
    });

    test('fails when a publishing service is listed twice', () => {
      const stack = createTestStack();
      expect(() => new AlertTopic(stack, 'Alerts', { publishingServices: ['events.amazonaws.com', 'events.amazonaws.com'] })).toThrow(/more than once/);
    });

    test('fails when a removal policy is given together with an existing key', () => {
      const stack = createTestStack();
      const encryptionKey = new EncryptionKey(stack, 'Key', { description: 'test' });
      expect(() => new AlertTopic(stack, 'Alerts', { encryptionKey, removalPolicy: RemovalPolicy.DESTROY })).toThrow(/removalPolicy is destroy but encryptionKey was given/);
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    new AlertTopic(stack, 'Alerts');
    expectToPassPolicies(stack);
  });
});
