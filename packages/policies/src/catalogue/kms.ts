import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for AWS KMS keys (`rules/kms/`). */
export const KMS_RULES: readonly RuleMetadata[] = guardRules('kms', [
  {
    id: 'CORE.KMS.1',
    ruleName: 'KMS_KEY_ROTATION_ENABLED',
    title: 'Symmetric KMS keys rotate automatically',
    severity: 'medium',
    description:
      'Every symmetric encryption KMS key sets EnableKeyRotation true, limiting how much data any one backing key ' +
      'protects and how long a leaked backing key stays useful. Asymmetric and HMAC keys cannot rotate automatically ' +
      'and are skipped.',
    remediation: 'Set enableKeyRotation: true on the key.',
    resourceTypes: ['AWS::KMS::Key'],
    nistControls: ['SC-12', 'SC-28(3)'],
  },
  {
    id: 'CORE.KMS.2',
    ruleName: 'KMS_KEY_POLICY_NO_PUBLIC_PRINCIPAL',
    title: 'KMS key policies do not allow every principal without a condition',
    severity: 'critical',
    description:
      'No KMS key policy statement allows Principal "*" (or AWS "*") without a Condition. Such a statement lets any ' +
      'AWS account use or administer the key within the listed actions; CORE key policies name the account root and ' +
      'the consuming roles or services, and accept a wildcard principal only when a condition such as ' +
      'kms:CallerAccount with kms:ViaService narrows it.',
    remediation:
      'Name the principals explicitly (key.grantDecrypt(role)), or add a Condition such as kms:CallerAccount and ' +
      'kms:ViaService to the wildcard statement.',
    resourceTypes: ['AWS::KMS::Key'],
    nistControls: ['AC-3', 'AC-6', 'SC-12'],
  },
]);
