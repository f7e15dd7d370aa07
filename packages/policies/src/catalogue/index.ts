import * as path from 'node:path';
import { CLOUDFRONT_RULES } from './cloudfront';
import { DYNAMODB_RULES } from './dynamodb';
import { EC2_RULES } from './ec2';
import { ECR_RULES } from './ecr';
import { ECS_RULES } from './ecs';
import { ELASTICACHE_RULES } from './elasticache';
import { ELB_RULES } from './elb';
import { IAM_RULES } from './iam';
import { KMS_RULES } from './kms';
import { LAMBDA_RULES } from './lambda';
import { LOGS_RULES } from './logs';
import { RDS_RULES } from './rds';
import { S3_RULES } from './s3';
import { SECRETSMANAGER_RULES } from './secretsmanager';
import { SNS_RULES } from './sns';
import { STATEFUL_RULES } from './stateful';
import { type PolicyProfile, type RuleMetadata } from './types';
import { WAF_RULES } from './waf';

export * from './types';
export * from './control-tower';
export {
  CLOUDFRONT_RULES,
  DYNAMODB_RULES,
  EC2_RULES,
  ECR_RULES,
  ECS_RULES,
  ELASTICACHE_RULES,
  ELB_RULES,
  IAM_RULES,
  KMS_RULES,
  LAMBDA_RULES,
  LOGS_RULES,
  RDS_RULES,
  S3_RULES,
  SECRETSMANAGER_RULES,
  SNS_RULES,
  STATEFUL_RULES,
  WAF_RULES,
};

/** Every CORE guard rule, one entry per `.guard` file under the package's `rules/` folder. */
export const RULE_CATALOGUE: readonly RuleMetadata[] = [
  ...S3_RULES,
  ...RDS_RULES,
  ...ELASTICACHE_RULES,
  ...KMS_RULES,
  ...ECS_RULES,
  ...ELB_RULES,
  ...CLOUDFRONT_RULES,
  ...WAF_RULES,
  ...EC2_RULES,
  ...IAM_RULES,
  ...LOGS_RULES,
  ...ECR_RULES,
  ...DYNAMODB_RULES,
  ...SNS_RULES,
  ...SECRETSMANAGER_RULES,
  ...LAMBDA_RULES,
  ...STATEFUL_RULES,
];

/**
 * Folder holding CORE's `.guard` files. Resolved from this module's location, which is `src/catalogue/` when
 * running from source and `dist/catalogue/` after build; both sit two levels below the package root.
 *
 * @returns absolute path of the package's `rules/` folder
 */
export function coreRulesDirectory(): string {
  return path.join(__dirname, '..', '..', 'rules');
}

/**
 * Absolute paths of the CORE rule files a policy profile runs: the `baseline` profile runs the baseline rules, and
 * the `production` profile runs the baseline rules plus the production-only ones.
 *
 * @param profile - policy profile to resolve
 * @returns one path per catalogue entry in the profile, in catalogue order
 */
export function ruleFilesForProfile(profile: PolicyProfile): string[] {
  const directory = coreRulesDirectory();
  return RULE_CATALOGUE.filter((rule) => rule.profile === 'baseline' || profile === 'production').map((rule) =>
    path.join(directory, rule.file),
  );
}

/**
 * Looks up a catalogue entry by the guard rule block name that cfn-guard reports, e.g.
 * `S3_BUCKET_PUBLIC_ACCESS_BLOCKED`.
 *
 * @param ruleName - UPPER_SNAKE name of the rule block
 * @returns the matching entry, or `undefined` when the name is not a CORE rule
 */
export function ruleMetadataByName(ruleName: string): RuleMetadata | undefined {
  return RULE_CATALOGUE.find((rule) => rule.ruleName === ruleName);
}
