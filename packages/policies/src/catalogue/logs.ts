import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for Amazon CloudWatch Logs log groups (`rules/logs/`). */
export const LOGS_RULES: readonly RuleMetadata[] = guardRules('logs', [
  {
    id: 'CORE.LOGS.1',
    ruleName: 'LOGS_RETENTION_SET',
    title: 'CloudWatch log groups have a retention period',
    severity: 'low',
    description:
      'Every log group sets RetentionInDays. Without it events are kept forever: personal data in application logs ' +
      'outlives its purpose (UK GDPR storage limitation) and storage cost grows without bound. CORE keeps application ' +
      'and flow logs for 60 days, an environment setting.',
    remediation: 'Set retention (for example RetentionDays.TWO_MONTHS) on every log group.',
    resourceTypes: ['AWS::Logs::LogGroup'],
    nistControls: ['AU-11', 'SI-12'],
  },
  {
    id: 'CORE.LOGS.2',
    ruleName: 'LOGS_ENCRYPTED_WITH_KMS',
    title: 'CloudWatch log groups are encrypted with a customer managed KMS key',
    severity: 'medium',
    description:
      'Every log group sets KmsKeyId. Application, worker, Lambda and ECS Exec logs can contain personal data and ' +
      'request parameters; with a CORE key, reading them also needs kms:Decrypt on a key whose policy CORE controls, ' +
      'and every use is recorded. The key may be local, imported from another stack or given by ARN.',
    remediation: 'Set encryptionKey to a CORE KMS key whose policy allows logs.<region>.amazonaws.com.',
    resourceTypes: ['AWS::Logs::LogGroup'],
    nistControls: ['AU-9', 'SC-12', 'SC-28'],
  },
]);
