import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for Amazon ECR repositories (`rules/ecr/`). */
export const ECR_RULES: readonly RuleMetadata[] = guardRules('ecr', [
  {
    id: 'CORE.ECR.1',
    ruleName: 'ECR_TAGS_IMMUTABLE',
    title: 'ECR repositories have immutable tags',
    severity: 'medium',
    description:
      'Every repository sets ImageTagMutability IMMUTABLE, so a tag such as production-<release>-<timestamp> always ' +
      'names the image that was tested and scanned and cannot be overwritten by a later push. A migration repository ' +
      'that must re-push a tag is exempted explicitly: its construct adds ECR_TAGS_IMMUTABLE to the repository\'s ' +
      'Metadata guard.SuppressedRules and records why.',
    remediation:
      'Set imageTagMutability: TagMutability.IMMUTABLE, or for a migration repository record the exemption as a ' +
      'guard suppression with its reason.',
    resourceTypes: ['AWS::ECR::Repository'],
    nistControls: ['CM-2', 'SI-7'],
  },
  {
    id: 'CORE.ECR.2',
    ruleName: 'ECR_SCAN_ON_PUSH',
    title: 'ECR repositories scan images on push',
    severity: 'medium',
    description:
      'Every repository sets ImageScanningConfiguration.ScanOnPush true, so known vulnerabilities in a pushed image ' +
      'are found before it is deployed; CORE forwards the scan-finding events to its alerts channel.',
    remediation: 'Set imageScanOnPush: true.',
    resourceTypes: ['AWS::ECR::Repository'],
    nistControls: ['RA-5', 'SI-2'],
  },
  {
    id: 'CORE.ECR.3',
    ruleName: 'ECR_ENCRYPTED_WITH_KMS',
    title: 'ECR repositories are encrypted with KMS',
    severity: 'low',
    description:
      'Every repository sets EncryptionConfiguration EncryptionType KMS (or KMS_DSSE) instead of the default AES-256, ' +
      'so image layer access is a KMS use recorded in CloudTrail. A CORE key (KmsKey) is recommended; without it ECR ' +
      'uses the AWS managed aws/ecr key.',
    remediation: 'Set encryption: RepositoryEncryption.KMS (with encryptionKey for a CORE key).',
    resourceTypes: ['AWS::ECR::Repository'],
    nistControls: ['SC-12', 'SC-28'],
  },
]);
