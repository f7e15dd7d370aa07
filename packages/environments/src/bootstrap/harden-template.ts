import { EXECUTION_POLICY_ID, PERMISSIONS_BOUNDARY_ID, PERMISSIONS_BOUNDARY_NAME, type CfnResource, type CfnTemplate, type PolicyStatement } from './bootstrap-template';

// CDK's default bootstrap template (`cdk bootstrap --show-template`) trusts whole accounts, falls
// back to AdministratorAccess, and leaves the staging bucket and key below CORE's production
// profile. These edits are the difference; scripts/write-bootstrap-template.ts applies them and
// a test fails when the committed template is not what they produce.

/** Bootstrap variant CORE's template declares; the CDK CLI will not replace a stack of another variant without `--force`. */
export const CORE_BOOTSTRAP_VARIANT = 'CORE: hardened bootstrap (@core-infra/environments)';

const ROLE_ARN_PATTERN = '^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$';
const CUSTOMER_POLICY_ARN_PATTERN = '^arn:aws[a-z-]*:iam::[0-9]{12}:policy/[A-Za-z0-9+=,.@_/-]+$';
const TRUSTED_ROLES = ['DeploymentActionRole', 'FilePublishingRole', 'ImagePublishingRole'];
// CloudFormation placeholders (Fn::Sub), not template literals.
const BOUNDARY_ARN = 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/' + PERMISSIONS_BOUNDARY_NAME;

/**
 * Hardens CDK's default bootstrap template for CORE:
 *
 * - the deploy and publishing roles trust only the role ARNs passed with `--trust` (principals
 *   of this account whose `aws:PrincipalArn` is listed), never a whole account; `--trust` must
 *   name roles, and an ExternalId is always refused;
 * - the lookup role exists only when `--trust-for-lookup` names a role (CORE makes no lookups);
 * - the CloudFormation execution role gets only customer-managed policies (never the
 *   AdministratorAccess fallback), among them the execution policy this template creates;
 * - the permissions boundary policy always exists, refuses roles created without it and its own
 *   removal or change;
 * - the staging bucket and its customer-managed key (always created, rotated, retained) and the
 *   container-asset repository meet the production profile.
 *
 * @param cdkTemplate the output of `cdk bootstrap --show-template --json`
 * @returns a new template; the argument is not changed
 */
export function hardenBootstrapTemplate(cdkTemplate: CfnTemplate): CfnTemplate {
  const template = structuredClone(cdkTemplate);
  const resources = template.Resources;
  template.Description = 'CDK bootstrap stack hardened for CORE: trust limited to named roles, a generated execution policy, a permissions boundary, a customer-managed key';
  restrictParameters(template);

  for (const id of TRUSTED_ROLES) requireResource(resources, id).Properties!.AssumeRolePolicyDocument = trustOnly('TrustedAccounts');
  const lookupRole = requireResource(resources, 'LookupRole');
  lookupRole.Condition = 'HasTrustedAccountsForLookup';
  lookupRole.Properties!.AssumeRolePolicyDocument = trustOnly('TrustedAccountsForLookup');

  const deployPolicy = (requireResource(resources, 'DeploymentActionRole').Properties!.Policies as { PolicyDocument: { Statement: PolicyStatement[] } }[])[0].PolicyDocument;
  // CORE deploys no CodePipeline, whose artifact buckets and keys in other accounts these reach.
  deployPolicy.Statement = deployPolicy.Statement.filter((statement) => !statement.Sid?.startsWith('PipelineCrossAccount'));

  const executionRole = requireResource(resources, 'CloudFormationExecutionRole');
  executionRole.Properties!.ManagedPolicyArns = { Ref: 'CloudFormationExecutionPolicies' };
  executionRole.DependsOn = EXECUTION_POLICY_ID;
  resources[EXECUTION_POLICY_ID] = executionPolicy();
  resources[PERMISSIONS_BOUNDARY_ID] = permissionsBoundary();

  hardenStorage(resources);
  return template;
}

function restrictParameters(template: CfnTemplate): void {
  const parameters = template.Parameters ?? {};
  const set = (name: string, changes: Record<string, unknown>, remove: string[] = []) => {
    const parameter = parameters[name];
    if (!parameter) throw new Error(`CDK's bootstrap template has no ${name} parameter any more: review hardenBootstrapTemplate against the new template`);
    for (const key of remove) delete parameter[key];
    Object.assign(parameter, changes);
  };
  set(
    'TrustedAccounts',
    { Description: 'ARNs of the roles of this account that may deploy and publish assets (CORE: the environment\'s infrastructure deployment role); whole accounts are refused', AllowedPattern: ROLE_ARN_PATTERN, ConstraintDescription: 'pass role ARNs with --trust, e.g. arn:aws:iam::123456789012:role/core-staging-infrastructure-deployment' },
    ['Default'],
  );
  set('TrustedAccountsForLookup', { Description: 'ARNs of the roles of this account that may make context lookups; empty (no lookup role) for CORE', AllowedPattern: `^$|${ROLE_ARN_PATTERN}`, ConstraintDescription: 'pass role ARNs with --trust-for-lookup, or nothing' });
  set(
    'CloudFormationExecutionPolicies',
    { Description: 'ARNs of the customer-managed policies of the CloudFormation execution role (CORE: the execution policy this stack creates); AWS-managed policies such as AdministratorAccess are refused', AllowedPattern: CUSTOMER_POLICY_ARN_PATTERN, ConstraintDescription: 'pass customer-managed policy ARNs with --cloudformation-execution-policies' },
    ['Default'],
  );
  set('FileAssetsBucketKmsKeyId', { Description: 'Empty: the stack always creates the customer-managed key of the staging bucket (cdk bootstrap --bootstrap-customer-key)', AllowedValues: [''], ConstraintDescription: 'pass --bootstrap-customer-key' });
  set('PublicAccessBlockConfiguration', { AllowedValues: ['true'] });
  set('DenyExternalId', { AllowedValues: ['true'] });
  set('BootstrapVariant', { Default: CORE_BOOTSTRAP_VARIANT });
}

/** Trust for the principals of this account whose ARN the parameter lists, nobody else. */
function trustOnly(parameter: string): Record<string, unknown> {
  const onlyListed = { ArnEquals: { 'aws:PrincipalArn': { Ref: parameter } } };
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AssumeByTrustedRolesOnly', Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { Ref: 'AWS::AccountId' } }, Condition: { ...onlyListed, Null: { 'sts:ExternalId': 'true' } } },
      { Sid: 'TagSessionByTrustedRolesOnly', Action: 'sts:TagSession', Effect: 'Allow', Principal: { AWS: { Ref: 'AWS::AccountId' } }, Condition: onlyListed },
    ],
  };
}

function executionPolicy(): CfnResource {
  return {
    Type: 'AWS::IAM::ManagedPolicy',
    Properties: {
      ManagedPolicyName: { 'Fn::Sub': 'cdk-${Qualifier}-cfn-exec-policy-${AWS::AccountId}-${AWS::Region}' },
      Description: 'What CloudFormation may do when it deploys this environment: generated by core-deploy bootstrap from the resource types of its stacks',
      Path: '/',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadBootstrapVersion',
            Effect: 'Allow',
            Action: ['ssm:GetParameters'],
            Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${CdkBootstrapVersion}' },
          },
        ],
      },
    },
  };
}

function permissionsBoundary(): CfnResource {
  return {
    Type: 'AWS::IAM::ManagedPolicy',
    Properties: {
      ManagedPolicyName: { 'Fn::Sub': PERMISSIONS_BOUNDARY_NAME },
      Description: 'Permissions boundary of the roles the stacks create: the services of the environment, never a role without this boundary, never a change to it',
      Path: '/',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyRolesWithoutThisBoundary',
            Effect: 'Deny',
            Action: ['iam:CreateRole', 'iam:CreateUser', 'iam:PutRolePermissionsBoundary', 'iam:PutUserPermissionsBoundary'],
            Resource: '*',
            Condition: { StringNotEquals: { 'iam:PermissionsBoundary': { 'Fn::Sub': BOUNDARY_ARN } } },
          },
          { Sid: 'DenyChangesToThisBoundary', Effect: 'Deny', Action: ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'], Resource: { 'Fn::Sub': BOUNDARY_ARN } },
          { Sid: 'DenyBoundaryRemoval', Effect: 'Deny', Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'], Resource: '*' },
        ],
      },
    },
  };
}

function hardenStorage(resources: Record<string, CfnResource>): void {
  const key = requireResource(resources, 'FileAssetsBucketEncryptionKey');
  key.Properties!.EnableKeyRotation = true;
  key.DeletionPolicy = 'Retain';
  key.UpdateReplacePolicy = 'Retain';

  const bucket = requireResource(resources, 'StagingBucket');
  delete bucket.Properties!.AccessControl;
  bucket.Properties!.PublicAccessBlockConfiguration = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
  bucket.Properties!.OwnershipControls = { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] };
  bucket.Metadata = {
    guard: {
      SuppressedRules: [
        { id: 'CORE.S3.5', reason: 'The staging bucket holds only CDK file assets that the file-publishing role uploads before a deployment; CloudTrail records who assumed that role, and an access-log bucket here would need its own bootstrap' },
      ],
    },
  };

  const repository = requireResource(resources, 'ContainerAssetsRepository');
  repository.Properties!.ImageScanningConfiguration = { ScanOnPush: true };
  repository.DeletionPolicy = 'Retain';
  repository.UpdateReplacePolicy = 'Retain';
  repository.Metadata = {
    guard: {
      SuppressedRules: [
        { id: 'CORE.ECR.3', reason: "CORE publishes no container assets (its images live in the meta account's registry, encrypted with KMS); CDK's asset repository stays empty and AES-256 encrypted" },
      ],
    },
  };
}

function requireResource(resources: Record<string, CfnResource>, id: string): CfnResource {
  const resource = resources[id];
  if (!resource?.Properties) throw new Error(`CDK's bootstrap template has no ${id} any more: review hardenBootstrapTemplate against the new template`);
  return resource;
}
