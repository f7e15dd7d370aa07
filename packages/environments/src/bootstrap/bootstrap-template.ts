import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** A CloudFormation template as the bootstrap code reads and edits it. */
export interface CfnTemplate {
  /** What the template is for. */
  Description?: string;
  /** Template parameters by name. */
  Parameters?: Record<string, Record<string, unknown>>;
  /** Conditions by name. */
  Conditions?: Record<string, unknown>;
  /** Rules (the synthesizer's `CheckBootstrapVersion`) by name. */
  Rules?: Record<string, unknown>;
  /** Resources by logical id. */
  Resources: Record<string, CfnResource>;
  /** Outputs by name. */
  Outputs?: Record<string, Record<string, unknown>>;
}

/** One resource of a {@link CfnTemplate}. */
export interface CfnResource {
  /** CloudFormation type, e.g. `AWS::IAM::Role`. */
  Type: string;
  /** Its properties. */
  Properties?: Record<string, unknown>;
  /** Its metadata (CORE acknowledgements live in `guard.SuppressedRules`). */
  Metadata?: Record<string, unknown>;
  /** Condition the resource is created under. */
  Condition?: string;
  /** Resources created first. */
  DependsOn?: string | string[];
  /** What happens to the resource when it leaves the stack. */
  DeletionPolicy?: string;
  /** What happens to the old resource when an update replaces it. */
  UpdateReplacePolicy?: string;
}

/** One IAM policy statement. */
export interface PolicyStatement {
  /** Statement id. */
  readonly Sid?: string;
  /** `Allow` or `Deny`. */
  readonly Effect: 'Allow' | 'Deny';
  /** Actions. */
  readonly Action: string | readonly string[];
  /** Resources (plain ARNs or CloudFormation intrinsics). */
  readonly Resource: unknown;
  /** Conditions. */
  readonly Condition?: Record<string, unknown>;
}

/** Logical id of the customer-managed execution policy in the bootstrap template. */
export const EXECUTION_POLICY_ID = 'CloudFormationExecutionPolicy';

/** Logical id of the permissions boundary policy (CDK's own id, typo included, so existing stacks keep it). */
export const PERMISSIONS_BOUNDARY_ID = 'CdkBoostrapPermissionsBoundaryPolicy';

/**
 * Name of the permissions boundary policy the bootstrap stack creates in each account and region,
 * with the placeholders both CloudFormation (`Fn::Sub`) and CDK's `PermissionsBoundary.fromName`
 * replace. Every CORE stage applies it to the roles of its stacks.
 */
export const PERMISSIONS_BOUNDARY_NAME = 'cdk-${Qualifier}-permissions-boundary-${AWS::AccountId}-${AWS::Region}';

/**
 * The permissions boundary of one bootstrapped account and region, by ARN.
 *
 * @param account the account
 * @param region the region
 * @param qualifier the bootstrap qualifier
 */
export function permissionsBoundaryArn(account: string, region: string, qualifier: string): string {
  const name = PERMISSIONS_BOUNDARY_NAME.replace('${Qualifier}', qualifier).replace('${AWS::AccountId}', account).replace('${AWS::Region}', region);
  return `arn:aws:iam::${account}:policy/${name}`;
}

/** The committed bootstrap template: CDK's default, hardened by {@link hardenBootstrapTemplate}. */
export const BOOTSTRAP_TEMPLATE_FILE = path.join(__dirname, '..', '..', 'bootstrap', 'bootstrap-template.json');

/**
 * Reads the committed bootstrap template.
 *
 * @param file the template file
 */
export function readBootstrapTemplate(file: string = BOOTSTRAP_TEMPLATE_FILE): CfnTemplate {
  return JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate;
}

/**
 * The bootstrap version a template installs: the value of its `CdkBootstrapVersion` SSM
 * parameter, which the synthesized stacks' `CheckBootstrapVersion` rule reads at deploy time.
 *
 * @param template a bootstrap template
 * @throws Error when the template has no version parameter
 */
export function bootstrapTemplateVersion(template: CfnTemplate): number {
  const value = template.Resources.CdkBootstrapVersion?.Properties?.Value;
  const version = Number(value);
  if (!Number.isInteger(version)) throw new Error(`the bootstrap template has no CdkBootstrapVersion parameter value (found ${JSON.stringify(value)})`);
  return version;
}

/** A written reason for a policy finding that is accepted on one resource (`Metadata.guard.SuppressedRules`). */
export interface PolicyAcknowledgement {
  /** The rule id, e.g. `CT.IAM.PR.3`. */
  readonly id: string;
  /** Why the finding is acceptable here. */
  readonly reason: string;
}

/** Statements generated for one policy of the bootstrap template, with the acknowledgements they need. */
export interface GeneratedPolicy {
  /** Statements added after the committed ones. */
  readonly statements: readonly PolicyStatement[];
  /** Findings the statements raise on purpose, each with its reason. */
  readonly acknowledgements: readonly PolicyAcknowledgement[];
}

/**
 * The bootstrap template for one account and region: the committed template with the
 * execution policy's and the permissions boundary's generated statements (and the
 * acknowledgements they need) added.
 *
 * @param base the committed template
 * @param executionPolicy what the CloudFormation execution policy adds
 * @param permissionsBoundary what the permissions boundary adds
 */
export function renderBootstrapTemplate(base: CfnTemplate, executionPolicy: GeneratedPolicy, permissionsBoundary: GeneratedPolicy): CfnTemplate {
  const template = structuredClone(base);
  addToPolicy(template, EXECUTION_POLICY_ID, executionPolicy);
  addToPolicy(template, PERMISSIONS_BOUNDARY_ID, permissionsBoundary);
  return template;
}

function addToPolicy(template: CfnTemplate, logicalId: string, generated: GeneratedPolicy): void {
  const resource = template.Resources[logicalId];
  const document = resource?.Properties?.PolicyDocument as { Statement: PolicyStatement[] } | undefined;
  if (!document) throw new Error(`the bootstrap template has no ${logicalId} policy: regenerate it (npm run bootstrap-template -w @core-infra/environments)`);
  document.Statement.push(...generated.statements);
  if (generated.acknowledgements.length > 0) resource.Metadata = { guard: { SuppressedRules: generated.acknowledgements.map(({ id, reason }) => ({ id, reason })) } };
}
