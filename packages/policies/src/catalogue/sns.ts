import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for Amazon SNS topics (`rules/sns/`). */
export const SNS_RULES: readonly RuleMetadata[] = guardRules('sns', [
  {
    id: 'CORE.SNS.1',
    ruleName: 'SNS_TOPIC_ENCRYPTED_WITH_KMS',
    title: 'SNS topics are encrypted with a customer managed KMS key',
    severity: 'medium',
    description:
      'Every topic sets KmsMasterKeyId to a CORE key. Alert topics carry alarm descriptions, budget figures and ' +
      'dead-lettered Slack messages; their key policy must let CloudWatch, Budgets and EventBridge publish, which the ' +
      'AWS managed alias/aws/sns key cannot, so that alias is refused as well.',
    remediation: 'Set masterKey to a CORE KMS key that allows the publishing services.',
    resourceTypes: ['AWS::SNS::Topic'],
    nistControls: ['SC-12', 'SC-28'],
  },
]);
