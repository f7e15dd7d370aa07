import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for AWS Secrets Manager secrets (`rules/secretsmanager/`). */
export const SECRETSMANAGER_RULES: readonly RuleMetadata[] = guardRules('secretsmanager', [
  {
    id: 'CORE.SECRETSMANAGER.1',
    ruleName: 'SECRETSMANAGER_SECRET_ENCRYPTED_WITH_KMS',
    title: 'Secrets Manager secrets are encrypted with a customer managed KMS key',
    severity: 'high',
    description:
      'Every secret sets KmsKeyId to a CORE key whose policy lets only its consumers (such as the task execution ' +
      'role) decrypt it. With the default aws/secretsmanager key, any principal in the account with ' +
      'secretsmanager:GetSecretValue can read the secret.',
    remediation: 'Set encryptionKey to a CORE KMS key (also for generated database credentials).',
    resourceTypes: ['AWS::SecretsManager::Secret'],
    nistControls: ['IA-5', 'SC-12', 'SC-28'],
  },
]);
