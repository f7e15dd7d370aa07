import type { RiskResource } from './risk-rule';
import { asList, DEPLOY_TIME, isObject, renderString, type JsonObject } from './values';

/**
 * Where each CloudFormation type keeps a resource-based policy (a policy with a `Principal`), by
 * dotted property path; `[]` in a path walks a list. This is the inventory the public-principal
 * and trusted-account rules cover, including types CORE does not emit today.
 */
export const RESOURCE_POLICY_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'AWS::ApiGateway::RestApi': ['Policy'],
  'AWS::Backup::BackupVault': ['AccessPolicy'],
  'AWS::CodeArtifact::Domain': ['PermissionsPolicyDocument'],
  'AWS::CodeArtifact::Repository': ['PermissionsPolicyDocument'],
  'AWS::DynamoDB::Table': ['ResourcePolicy.PolicyDocument', 'StreamSpecification.ResourcePolicy.PolicyDocument'],
  'AWS::DynamoDB::GlobalTable': ['Replicas[].ResourcePolicy.PolicyDocument'],
  'AWS::EC2::VPCEndpoint': ['PolicyDocument'],
  'AWS::ECR::RegistryPolicy': ['PolicyText'],
  'AWS::ECR::Repository': ['RepositoryPolicyText'],
  'AWS::ECR::RepositoryCreationTemplate': ['RepositoryPolicy'],
  'AWS::EFS::FileSystem': ['FileSystemPolicy'],
  'AWS::Elasticsearch::Domain': ['AccessPolicies'],
  'AWS::Events::EventBus': ['Policy'],
  'AWS::Glue::ResourcePolicy': ['PolicyInJson'],
  'AWS::IAM::Role': ['AssumeRolePolicyDocument'],
  'AWS::Kinesis::ResourcePolicy': ['ResourcePolicy'],
  'AWS::KMS::Key': ['KeyPolicy'],
  'AWS::KMS::ReplicaKey': ['KeyPolicy'],
  'AWS::Logs::Destination': ['DestinationPolicy'],
  'AWS::Logs::ResourcePolicy': ['PolicyDocument'],
  'AWS::MediaStore::Container': ['Policy'],
  'AWS::OpenSearchServerless::AccessPolicy': ['Policy'],
  'AWS::OpenSearchService::Domain': ['AccessPolicies'],
  'AWS::S3::AccessPoint': ['Policy'],
  'AWS::S3::BucketPolicy': ['PolicyDocument'],
  'AWS::S3::MultiRegionAccessPointPolicy': ['Policy'],
  'AWS::S3Express::BucketPolicy': ['PolicyDocument'],
  'AWS::S3ObjectLambda::AccessPointPolicy': ['PolicyDocument'],
  'AWS::SecretsManager::ResourcePolicy': ['ResourcePolicy'],
  'AWS::SNS::TopicInlinePolicy': ['PolicyDocument'],
  'AWS::SNS::TopicPolicy': ['PolicyDocument'],
  'AWS::SQS::QueueInlinePolicy': ['PolicyDocument'],
  'AWS::SQS::QueuePolicy': ['PolicyDocument'],
  'AWS::SSM::ResourcePolicy': ['Policy'],
  'AWS::VpcLattice::AuthPolicy': ['Policy'],
  'AWS::VpcLattice::ResourcePolicy': ['Policy'],
};

/** Where each CloudFormation type keeps an identity policy (what a principal may do). */
export const IDENTITY_POLICY_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'AWS::IAM::Group': ['Policies[].PolicyDocument'],
  'AWS::IAM::GroupPolicy': ['PolicyDocument'],
  'AWS::IAM::ManagedPolicy': ['PolicyDocument'],
  'AWS::IAM::Policy': ['PolicyDocument'],
  'AWS::IAM::Role': ['Policies[].PolicyDocument'],
  'AWS::IAM::RolePolicy': ['PolicyDocument'],
  'AWS::IAM::User': ['Policies[].PolicyDocument'],
  'AWS::IAM::UserPolicy': ['PolicyDocument'],
  'AWS::SSO::PermissionSet': ['InlinePolicy'],
};

/** One statement of a policy document, with where it sits in the resource. */
export interface PolicyStatement {
  /** The statement as written. */
  readonly statement: JsonObject;
  /** Path of the statement, e.g. `Properties.PolicyDocument.Statement[1]`. */
  readonly location: string;
}

/** The statements of one policy document, or why they cannot be read. */
export interface PolicyDocumentRead {
  /** Path of the document in the resource. */
  readonly location: string;
  /** The statements; empty when `unreadable` is set. */
  readonly statements: readonly PolicyStatement[];
  /** Set when the document is neither an object nor a JSON string (e.g. built with `Fn::Join`). */
  readonly unreadable?: string;
}

/**
 * Reads the policy documents a resource holds at the given property paths. A document given as
 * a JSON string is parsed; one built at deploy time cannot be read and says so, so that rules
 * can fail closed on it.
 */
export function readPolicyDocuments(resource: RiskResource, paths: readonly string[]): PolicyDocumentRead[] {
  const documents: PolicyDocumentRead[] = [];
  for (const propertyPath of paths) {
    for (const { value, location } of valuesAt(resource.properties, propertyPath.split('.'), 'Properties')) {
      documents.push(readDocument(value, location));
    }
  }
  return documents;
}

function readDocument(value: unknown, location: string): PolicyDocumentRead {
  let document: unknown = value;
  if (isIntrinsic(value)) {
    // A whole document joined from literal text can still be read; one with deploy-time parts cannot.
    const text = renderString(value);
    if (text === undefined || text.includes(DEPLOY_TIME)) return { location, statements: [], unreadable: 'is built at deploy time, so its principals cannot be checked' };
    document = text;
  }
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document);
    } catch {
      return { location, statements: [], unreadable: 'is a string that is not JSON' };
    }
  }
  if (!isObject(document)) return { location, statements: [], unreadable: 'is not a policy document object' };
  const statements = asList(document.Statement).map((statement, index) => ({
    statement: isObject(statement) ? statement : {},
    location: Array.isArray(document.Statement) ? `${location}.Statement[${index}]` : `${location}.Statement`,
  }));
  return { location, statements };
}

// An object whose only key is an intrinsic function (`Fn::Join`, `Fn::Sub`, `Ref`, …).
function isIntrinsic(value: unknown): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

function valuesAt(value: unknown, segments: readonly string[], location: string): { value: unknown; location: string }[] {
  if (segments.length === 0) return value === undefined ? [] : [{ value, location }];
  const [head, ...rest] = segments;
  const list = head.endsWith('[]');
  const key = list ? head.slice(0, -2) : head;
  if (!isObject(value)) return [];
  const next = value[key];
  if (!list) return valuesAt(next, rest, `${location}.${key}`);
  return asList(next).flatMap((item, index) => valuesAt(item, rest, `${location}.${key}[${index}]`));
}

/** A statement's `Effect`, `Allow` when absent is not possible in IAM, so absent reads as `undefined`. */
export function isAllow(statement: JsonObject): boolean {
  return statement.Effect === 'Allow';
}

/** The values of a statement key that may be a string or a list (`Action`, `Resource`, …). */
export function statementValues(statement: JsonObject, key: string): readonly unknown[] {
  return asList(statement[key]);
}
