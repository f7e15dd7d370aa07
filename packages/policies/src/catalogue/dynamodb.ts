import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for Amazon DynamoDB tables (`rules/dynamodb/`). */
export const DYNAMODB_RULES: readonly RuleMetadata[] = guardRules('dynamodb', [
  {
    id: 'CORE.DYNAMODB.1',
    ruleName: 'DYNAMODB_PITR_ENABLED',
    title: 'DynamoDB tables have point-in-time recovery',
    severity: 'medium',
    description:
      'Every table enables point-in-time recovery, so it can be restored to any second of the last 35 days after a ' +
      'faulty write or deletion; without it the deployment lock table would be rebuilt by hand.',
    remediation: 'Set pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }.',
    resourceTypes: ['AWS::DynamoDB::Table'],
    nistControls: ['CP-9', 'CP-10'],
  },
  {
    id: 'CORE.DYNAMODB.2',
    ruleName: 'DYNAMODB_ENCRYPTED_WITH_KMS',
    title: 'DynamoDB tables are encrypted with a customer managed KMS key',
    severity: 'medium',
    description:
      'Every table sets SSESpecification with SSEEnabled true and a KMSMasterKeyId. The default AWS owned key and the ' +
      'AWS managed aws/dynamodb key leave CORE unable to restrict or audit who decrypts the items and backups.',
    remediation: 'Set encryption: TableEncryption.CUSTOMER_MANAGED with a CORE encryptionKey.',
    resourceTypes: ['AWS::DynamoDB::Table'],
    nistControls: ['SC-12', 'SC-28', 'SC-28(1)'],
  },
  {
    id: 'CORE.DYNAMODB.3',
    ruleName: 'DYNAMODB_DELETION_PROTECTION_ENABLED',
    title: 'DynamoDB tables have deletion protection',
    severity: 'medium',
    description:
      'Every table sets DeletionProtectionEnabled true, so neither a stack deletion nor an API call can drop it until ' +
      'protection is turned off in a reviewed change.',
    remediation: 'Set deletionProtection: true.',
    resourceTypes: ['AWS::DynamoDB::Table'],
    nistControls: ['CM-3', 'CP-9'],
  },
]);
