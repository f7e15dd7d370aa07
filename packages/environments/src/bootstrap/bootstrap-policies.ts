import { DEFAULT_CDK_BOOTSTRAP_QUALIFIER } from '@core-infra/constructs';
import { ADMIN_WILDCARD_ACTIONS } from '@core-infra/policies';
import { REVIEW_APP_NAME_PATTERN, REVIEW_APP_PREFIX } from '../naming';
import { permissionsBoundaryArn, type CfnTemplate, type GeneratedPolicy, type PolicyStatement } from './bootstrap-template';
import { BootstrapInputError } from './errors';
import { CLOUDFORMATION_MANAGED_TYPES, SERVICE_ACTIONS, serviceOf } from './service-actions';

/** One stack deployed to a bootstrap target, as the policies are generated from it. */
export interface BootstrapStack {
  /** Stage (the environment's prefix, or a review app's), e.g. `core-staging`. */
  readonly stage?: string;
  /** CloudFormation stack name, e.g. `core-staging-data`. */
  readonly stackName: string;
  /** Its synthesized template. */
  readonly template: CfnTemplate;
}

/** One account and region to bootstrap, and the stacks deployed there. */
export interface BootstrapStacksTarget {
  /** The account. */
  readonly account: string;
  /** The region. */
  readonly region: string;
  /** The stacks the bootstrap roles deploy there. */
  readonly stacks: readonly BootstrapStack[];
}

const ESCALATING_ACTIONS = ['iam:PassRole', 'sts:AssumeRole', 'sts:TagSession'];
const CONTROL_PLANE = new Set(ADMIN_WILDCARD_ACTIONS.filter((action) => action.endsWith(':*')).map((action) => action.slice(0, -2)));
// iam:CreateRole is granted apart, only with the boundary (see iamStatements).
const ROLE_ACTIONS = [
  'iam:DeleteRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy', 'iam:TagRole', 'iam:UntagRole',
  'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:GetRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListRoleTags',
];
const MANAGED_POLICY_ACTIONS = ['iam:CreatePolicy', 'iam:DeletePolicy', 'iam:CreatePolicyVersion', 'iam:DeletePolicyVersion', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions', 'iam:TagPolicy', 'iam:UntagPolicy'];
const OIDC_ACTIONS = [
  'iam:CreateOpenIDConnectProvider', 'iam:DeleteOpenIDConnectProvider', 'iam:GetOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint',
  'iam:AddClientIDToOpenIDConnectProvider', 'iam:RemoveClientIDFromOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider', 'iam:UntagOpenIDConnectProvider',
];
const IAM_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::OIDCProvider']);

/**
 * The resource types of a target's stacks, sorted.
 *
 * @param target the stacks of one account and region
 */
export function resourceTypesOf(target: BootstrapStacksTarget): string[] {
  const types = new Set(target.stacks.flatMap((stack) => Object.values(stack.template.Resources ?? {}).map((resource) => resource.Type)));
  return [...types].filter((type) => !CLOUDFORMATION_MANAGED_TYPES.includes(type)).sort();
}

/**
 * The statements of the CloudFormation execution policy of one target: for each service its
 * resource types belong to, that service's actions ({@link SERVICE_ACTIONS}); the other
 * services' actions CloudFormation calls while creating them; IAM only on the environment's own
 * roles and policies, which it may create only under the bootstrap's permissions boundary;
 * Lambda invocations for custom resources. Never `*` and never a control-plane wildcard.
 *
 * @param target the stacks of one account and region
 * @param qualifier the bootstrap qualifier (it names the permissions boundary)
 * @throws BootstrapInputError naming the resource types whose service has no entry
 */
export function executionPolicyFor(target: BootstrapStacksTarget, qualifier: string = DEFAULT_CDK_BOOTSTRAP_QUALIFIER): GeneratedPolicy {
  const types = resourceTypesOf(target);
  const services = [...new Set(types.map(serviceOf))].sort();
  const unknown = types.filter((type) => {
    const service = serviceOf(type);
    return service === 'AWS::IAM' ? !IAM_TYPES.has(type) : service !== 'Custom' && SERVICE_ACTIONS[service] === undefined;
  });
  if (unknown.length > 0) {
    throw new BootstrapInputError(`the execution policy has no actions for ${unknown.join(', ')}: add the service to SERVICE_ACTIONS in packages/environments/src/bootstrap/service-actions.ts (its actions, never "*") and run again`);
  }
  const known = services.filter((service) => SERVICE_ACTIONS[service] !== undefined);
  const statements: PolicyStatement[] = known.map((service) => ({ Sid: `Manage${service.replace(/^AWS::/, '').replace(/[^A-Za-z0-9]/g, '')}`, Effect: 'Allow', Action: [...SERVICE_ACTIONS[service].actions], Resource: '*' }));
  const granted = statements.flatMap((statement) => statement.Action as string[]);
  const companions = [...new Set(known.flatMap((service) => SERVICE_ACTIONS[service].companions ?? []))].filter((action) => !granted.some((grant) => covers(grant, action))).sort();
  if (companions.length > 0) statements.push({ Sid: 'CallOtherServicesWhileCreating', Effect: 'Allow', Action: companions, Resource: '*' });
  if (services.includes('Custom')) {
    statements.push({ Sid: 'InvokeCustomResourceProviders', Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: `arn:aws:lambda:${target.region}:${target.account}:function:*` });
  }
  statements.push(...iamStatements(target, types, known.some((service) => SERVICE_ACTIONS[service].passesRoles), permissionsBoundaryArn(target.account, target.region, qualifier)));
  const wildcards = granted.filter((action) => action.endsWith(':*'));
  return {
    statements,
    acknowledgements:
      wildcards.length === 0
        ? []
        : [{ id: 'CT.IAM.PR.3', reason: `CloudFormation's execution role creates, updates and deletes every resource of the environment's stacks, so it holds the actions of the services their resource types belong to (${wildcards.join(', ')}), generated from the assembly; IAM and KMS get named actions only` }],
  };
}

/**
 * The Allow statements of the permissions boundary of one target: every service the stacks
 * create resources of or grant actions of, by service; the control-plane services (IAM, STS,
 * KMS, Organizations, CloudFormation) only with the actions the stacks' own policies name, and
 * passing or assuming roles only on roles. The boundary grants nothing by itself: it caps what
 * the roles of the stacks can ever do.
 *
 * @param target the stacks of one account and region
 */
export function permissionsBoundaryFor(target: BootstrapStacksTarget): GeneratedPolicy {
  const granted = target.stacks.flatMap((stack) => Object.values(stack.template.Resources ?? {}).flatMap((resource) => identityActions(resource.Type, resource.Properties ?? {})));
  const fromTypes = resourceTypesOf(target)
    .map(serviceOf)
    .flatMap((service) => SERVICE_ACTIONS[service]?.actions ?? [])
    .map((action) => action.split(':')[0]);
  const prefixes = [...new Set([...fromTypes, ...granted.map((action) => action.split(':')[0].toLowerCase())])].filter((prefix) => !CONTROL_PLANE.has(prefix)).sort();
  const controlPlane = [...new Set(granted.filter((action) => CONTROL_PLANE.has(action.split(':')[0].toLowerCase())))].sort();
  const escalating = controlPlane.filter((action) => ESCALATING_ACTIONS.some((pattern) => covers(action, pattern)));
  const named = controlPlane.filter((action) => !escalating.includes(action));
  const statements: PolicyStatement[] = [];
  if (prefixes.length > 0) statements.push({ Sid: 'EnvironmentServices', Effect: 'Allow', Action: prefixes.map((prefix) => `${prefix}:*`), Resource: '*' });
  if (named.length > 0) statements.push({ Sid: 'NamedControlPlaneActions', Effect: 'Allow', Action: named, Resource: '*' });
  if (escalating.length > 0) statements.push({ Sid: 'PassOrAssumeRolesOnly', Effect: 'Allow', Action: escalating, Resource: 'arn:aws:iam::*:role/*' });
  const acknowledgements = [];
  if (prefixes.length > 0) acknowledgements.push({ id: 'CT.IAM.PR.3', reason: 'A permissions boundary grants nothing: it caps the roles of the stacks at the services their environment uses, and each role keeps its own narrow policy' });
  if (escalating.length > 0) acknowledgements.push({ id: 'CORE.IAM.4', reason: 'A permissions boundary grants nothing: roles under it pass or assume only the roles their own policies name exactly, which CORE.IAM.4 checks in the stacks' });
  return { statements, acknowledgements };
}

/** The environment's role names as IAM resource patterns: each stage's prefix (every review app's together) and each role named outside them. */
function rolePatterns(target: BootstrapStacksTarget): string[] {
  const prefixes = new Set(target.stacks.map((stack) => (stack.stage?.startsWith(`${REVIEW_APP_PREFIX}-`) ? REVIEW_APP_NAME_PATTERN : `${stack.stage ?? stack.stackName}-*`)));
  const named = target.stacks.flatMap((stack) =>
    Object.values(stack.template.Resources ?? {})
      .filter((resource) => resource.Type === 'AWS::IAM::Role' && typeof resource.Properties?.RoleName === 'string')
      .map((resource) => resource.Properties?.RoleName as string),
  );
  const patterns = [...prefixes];
  for (const name of named) if (!patterns.some((pattern) => covers(pattern, name))) patterns.push(name);
  return [...new Set(patterns)].sort();
}

function iamStatements(target: BootstrapStacksTarget, types: readonly string[], passesRoles: boolean, boundaryArn: string): PolicyStatement[] {
  const arn = (kind: string, name: string) => `arn:aws:iam::${target.account}:${kind}/${name}`;
  const patterns = rolePatterns(target);
  const statements: PolicyStatement[] = [];
  const hasRoles = types.includes('AWS::IAM::Role') || types.includes('AWS::IAM::Policy');
  if (hasRoles) {
    statements.push({
      Sid: 'CreateEnvironmentRolesUnderTheBoundary',
      Effect: 'Allow',
      Action: ['iam:CreateRole'],
      Resource: patterns.map((p) => arn('role', p)),
      Condition: { StringEquals: { 'iam:PermissionsBoundary': boundaryArn } },
    });
    statements.push({ Sid: 'ManageEnvironmentRoles', Effect: 'Allow', Action: ROLE_ACTIONS, Resource: patterns.map((p) => arn('role', p)) });
  }
  if (hasRoles || passesRoles) statements.push({ Sid: 'PassEnvironmentRoles', Effect: 'Allow', Action: ['iam:PassRole'], Resource: patterns.map((p) => arn('role', p)) });
  if (types.includes('AWS::IAM::ManagedPolicy')) statements.push({ Sid: 'ManageEnvironmentPolicies', Effect: 'Allow', Action: MANAGED_POLICY_ACTIONS, Resource: patterns.map((p) => arn('policy', p)) });
  if (types.includes('AWS::IAM::OIDCProvider')) statements.push({ Sid: 'ManageOidcProviders', Effect: 'Allow', Action: OIDC_ACTIONS, Resource: arn('oidc-provider', '*') });
  if (types.length > 0) statements.push({ Sid: 'CreateServiceLinkedRoles', Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole'], Resource: arn('role', 'aws-service-role/*') });
  return statements;
}

/** Actions of the Allow statements of a role, policy or managed policy; intrinsics are skipped. */
/**
 * What the AWS managed policies the stacks attach to roles allow, so the boundary lets those roles
 * work. A role attaching one not listed here fails the bootstrap with the policy's name.
 */
export const AWS_MANAGED_POLICY_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  // Attached by RDS enhanced monitoring: it writes the OS metrics to CloudWatch Logs.
  'service-role/AmazonRDSEnhancedMonitoringRole': ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:GetLogEvents'],
};

function identityActions(type: string, properties: Record<string, unknown>): string[] {
  type Document = { Statement?: { Effect?: string; Action?: unknown }[] };
  const documents: Document[] =
    type === 'AWS::IAM::Role'
      ? ((properties.Policies as { PolicyDocument?: Document }[] | undefined) ?? []).map((policy) => policy.PolicyDocument ?? {})
      : type === 'AWS::IAM::Policy' || type === 'AWS::IAM::ManagedPolicy'
        ? [(properties.PolicyDocument as Document | undefined) ?? {}]
        : [];
  const managed = type === 'AWS::IAM::Role' ? ((properties.ManagedPolicyArns as unknown[] | undefined) ?? []).flatMap(awsManagedPolicyActions) : [];
  return [
    ...managed,
    ...documents.flatMap((document) =>
      (document.Statement ?? [])
        .filter((statement) => statement.Effect === 'Allow')
        .flatMap((statement) => [statement.Action].flat())
        .filter((action): action is string => typeof action === 'string' && action.includes(':')),
    ),
  ];
}

// The actions of an AWS managed policy a role attaches, by the name after `:iam::aws:policy/`
// (a plain ARN or CDK's Fn::Join with the partition); a customer-managed policy of the stacks is
// counted from its own resource.
function awsManagedPolicyActions(arn: unknown): readonly string[] {
  const text = typeof arn === 'string' ? arn : JSON.stringify(arn);
  const name = /:iam::aws:policy\/([A-Za-z0-9+=,.@_/-]+)/.exec(text)?.[1];
  if (name === undefined) return [];
  const actions = AWS_MANAGED_POLICY_ACTIONS[name];
  if (!actions) {
    throw new BootstrapInputError(`a role attaches the AWS managed policy ${name}, which the permissions boundary does not know: add its actions to AWS_MANAGED_POLICY_ACTIONS in packages/environments/src/bootstrap/bootstrap-policies.ts and run again`);
  }
  return actions;
}

/** Whether an action pattern with `*` wildcards covers an action (case-insensitive, as IAM compares). */
function covers(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return regex.test(action);
}
