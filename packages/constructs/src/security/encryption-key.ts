import { ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, type IConstruct } from 'constructs';
import { propsError } from '../shared/errors';

/** Actions a consumer needs to encrypt new data under the key (S3 PutObject, Secrets Manager writes). */
export const KMS_ENCRYPT_ACTIONS: readonly string[] = ['kms:Encrypt', 'kms:GenerateDataKey'];

/** Actions a consumer needs to read data encrypted under the key. */
export const KMS_DECRYPT_ACTIONS: readonly string[] = ['kms:Decrypt'];

/** Actions a consumer needs to both read and write data encrypted under the key. */
export const KMS_ENCRYPT_DECRYPT_ACTIONS: readonly string[] = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'];

/** Props for {@link EncryptionKey}. */
export interface EncryptionKeyProps {
  /** What the key protects, shown in the KMS console and in CloudTrail (e.g. "Encrypts the bulk-upload bucket"). */
  readonly description: string;

  /**
   * Alias name, with or without the `alias/` prefix (e.g. `core-prod/bulk-upload`).
   *
   * @default - `alias/` followed by a name derived from the construct path, unique in the account and region
   */
  readonly alias?: string;

  /**
   * How often KMS rotates the key material (between 90 and 2560 days).
   *
   * @default - 365 days
   */
  readonly rotationPeriod?: Duration;

  /**
   * Waiting period before KMS deletes the key once it is scheduled for deletion (7 to 30 days).
   *
   * @default - 30 days
   */
  readonly pendingWindow?: Duration;

  /**
   * What happens to the key when it leaves the stack. Data encrypted under a deleted key is
   * lost for good, so only review apps and other throwaway environments should destroy it.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Options for the consumer grants of {@link EncryptionKey}. */
export interface KeyGrantOptions {
  /**
   * Restrict the grant to requests that AWS services make on the grantee's behalf
   * (`kms:ViaService`), e.g. `s3.eu-west-2.amazonaws.com`, so the grantee cannot call KMS
   * directly.
   *
   * @default - the grantee may use the key directly or through any service
   */
  readonly viaServices?: readonly string[];
}

/**
 * A customer-managed symmetric KMS key with automatic rotation, an alias and a key policy
 * that names each consumer and lets only AWS services create grants on the key.
 *
 * The key policy keeps AWS's default statement giving the account root `kms:*`, which is
 * what lets IAM policies in the account delegate access and stops the key from becoming
 * unmanageable. Every grant method additionally names the grantee in the key policy when
 * that cannot create a dependency cycle between stacks (the grantee lives in the key's own
 * stack, or is identified by a literal ARN, e.g. another account's role). A grantee in
 * another stack of the same account receives an identity policy scoped to this key instead,
 * because naming it would make the key's (stateful) stack depend on the consumer's stack.
 */
export class EncryptionKey extends Construct {
  /** The KMS key. */
  public readonly key: kms.IKey;

  /** ARN of the key. */
  public readonly keyArn: string;

  /** Alias name including the `alias/` prefix. */
  public readonly aliasName: string;

  /** Rotation period in force. */
  public readonly rotationPeriod: Duration;

  /** Removal policy in force. */
  public readonly removalPolicy: RemovalPolicy;

  private readonly keyResource: kms.Key;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);

    this.rotationPeriod = props.rotationPeriod ?? Duration.days(365);
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const pendingWindow = props.pendingWindow ?? Duration.days(30);

    const rotationDays = this.rotationPeriod.toDays();
    if (rotationDays < 90 || rotationDays > 2560) {
      throw propsError(this, `rotationPeriod must be between 90 and 2560 days, got ${rotationDays} days: choose a period in that range (the default is 365 days)`);
    }
    const pendingDays = pendingWindow.toDays();
    if (pendingDays < 7 || pendingDays > 30) {
      throw propsError(this, `pendingWindow must be between 7 and 30 days, got ${pendingDays} days: choose a window in that range (the default is 30 days)`);
    }
    if (props.description.trim() === '') {
      throw propsError(this, 'description must not be empty: say what the key protects, e.g. "Encrypts the bulk-upload bucket"');
    }

    this.aliasName = normaliseAlias(this, props.alias ?? defaultAliasName(this));

    this.keyResource = new kms.Key(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriod: this.rotationPeriod,
      pendingWindow,
      removalPolicy: this.removalPolicy,
      alias: this.aliasName,
    });
    this.key = this.keyResource;
    this.keyArn = this.keyResource.keyArn;

    // Grants outlive IAM policy changes and are invisible in policies, so only AWS services
    // acting for a resource (RDS, S3, Secrets Manager, ...) may create them.
    this.keyResource.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyCreateGrantExceptForAwsServices',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    );
  }

  /**
   * Lets the grantee encrypt and decrypt with the key.
   *
   * @param grantee the role or principal that uses the key
   * @param options optional `kms:ViaService` restriction
   */
  public grantEncryptDecrypt(grantee: iam.IGrantable, options: KeyGrantOptions = {}): iam.Grant {
    return this.grant(grantee, KMS_ENCRYPT_DECRYPT_ACTIONS, options);
  }

  /**
   * Lets the grantee decrypt with the key (read encrypted data).
   *
   * @param grantee the role or principal that uses the key
   * @param options optional `kms:ViaService` restriction
   */
  public grantDecrypt(grantee: iam.IGrantable, options: KeyGrantOptions = {}): iam.Grant {
    return this.grant(grantee, KMS_DECRYPT_ACTIONS, options);
  }

  /**
   * Lets the grantee encrypt with the key (write encrypted data) without being able to read it back.
   *
   * @param grantee the role or principal that uses the key
   * @param options optional `kms:ViaService` restriction
   */
  public grantEncrypt(grantee: iam.IGrantable, options: KeyGrantOptions = {}): iam.Grant {
    return this.grant(grantee, KMS_ENCRYPT_ACTIONS, options);
  }

  /**
   * Grants the given KMS actions, naming the grantee in the key policy where that is safe
   * (see the class description) and always in the grantee's identity policy.
   *
   * @param grantee the role or principal that uses the key
   * @param actions KMS actions, e.g. `['kms:Decrypt']`; must all be `kms:` actions
   * @param options optional `kms:ViaService` restriction
   */
  public grant(grantee: iam.IGrantable, actions: readonly string[], options: KeyGrantOptions = {}): iam.Grant {
    assertKmsActions(this, actions);
    const conditions = viaServiceConditions(this, options.viaServices);
    const grantOptions = {
      grantee,
      actions: [...actions],
      resourceArns: [this.keyArn],
      conditions,
    };
    if (this.canNameInKeyPolicy(grantee.grantPrincipal)) {
      return iam.Grant.addToPrincipalAndResource({ ...grantOptions, resource: this.keyResource, resourceSelfArns: ['*'] });
    }
    return iam.Grant.addToPrincipal(grantOptions);
  }

  /**
   * Allows an AWS service principal to use the key through a key-policy statement, for
   * services that act as themselves rather than on a caller's behalf (CloudWatch Logs, SNS
   * publishers such as CloudWatch alarms, EventBridge).
   *
   * @param servicePrincipal e.g. `cloudwatch.amazonaws.com` or `logs.eu-west-2.amazonaws.com`
   * @param actions KMS actions the service needs; must all be `kms:` actions
   * @param conditions IAM conditions that scope the use, e.g. an encryption-context or source-account condition
   */
  public allowServicePrincipal(servicePrincipal: string, actions: readonly string[], conditions?: Record<string, Record<string, unknown>>): void {
    assertKmsActions(this, actions);
    if (!Token.isUnresolved(servicePrincipal) && !/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(servicePrincipal)) {
      throw propsError(this, `servicePrincipal must be an AWS service principal such as "sns.amazonaws.com", got "${servicePrincipal}": pass the service's principal name, not an ARN or account`);
    }
    this.keyResource.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(servicePrincipal)],
        actions: [...actions],
        resources: ['*'],
        conditions,
      }),
    );
  }

  /**
   * Allows CloudWatch Logs in this stack's region to encrypt and decrypt log events with the
   * key, limited by the `kms:EncryptionContext:aws:logs:arn` condition to log groups of this
   * account (and to one log group name or prefix when given).
   *
   * @param logGroupNamePattern log group name or pattern, e.g. `/core/prod/*`; defaults to every log group in the account and region
   */
  public allowCloudWatchLogs(logGroupNamePattern = '*'): void {
    const stack = Stack.of(this);
    this.allowServicePrincipal(
      `logs.${stack.region}.amazonaws.com`,
      ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: logGroupNamePattern,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    );
  }

  /**
   * Allows an AWS service that publishes to, or reads from, a resource encrypted with the key
   * (e.g. `cloudwatch.amazonaws.com` publishing alarm notifications to an encrypted SNS topic)
   * to generate data keys and decrypt, limited to calls made for this account.
   *
   * @param servicePrincipal e.g. `cloudwatch.amazonaws.com`, `events.amazonaws.com`, `budgets.amazonaws.com`
   */
  public allowServiceToPublish(servicePrincipal: string): void {
    this.allowServicePrincipal(servicePrincipal, ['kms:Decrypt', 'kms:GenerateDataKey*'], {
      StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
    });
  }

  private canNameInKeyPolicy(principal: iam.IPrincipal): boolean {
    if (Construct.isConstruct(principal)) {
      if (Stack.of(principal) === Stack.of(this)) return true;
    }
    // A principal from another stack is safe to name only when nothing about it is a reference
    // (an imported role with a literal ARN, another account, a service principal).
    const json = principal.policyFragment.principalJson;
    return !Object.values(json).some((values) => values.some((value) => Token.isUnresolved(value) && !isPseudoOnly(Stack.of(this), value)));
  }
}

function isPseudoOnly(stack: Stack, value: string): boolean {
  // Account-root principals are rendered with AWS::Partition / AWS::AccountId, which never
  // cross stacks; anything else (Ref, GetAtt) would.
  const resolved = JSON.stringify(stack.resolve(value));
  const references = resolved.match(/"(Ref|Fn::GetAtt|Fn::ImportValue)":"?[^",}]*/g) ?? [];
  return references.every((reference) => /AWS::(Partition|AccountId|Region|URLSuffix)/.test(reference));
}

function assertKmsActions(scope: IConstruct, actions: readonly string[]): void {
  if (actions.length === 0) {
    throw propsError(scope, 'actions must not be empty: list the kms: actions the consumer needs, e.g. ["kms:Decrypt"]');
  }
  const bad = actions.filter((action) => !/^kms:[A-Za-z*]+$/.test(action) || action === 'kms:*');
  if (bad.length > 0) {
    throw propsError(scope, `actions must be specific kms: actions, got ${bad.map((a) => `"${a}"`).join(', ')}: name the operations the consumer needs instead of a wildcard or another service's action`);
  }
}

function viaServiceConditions(scope: IConstruct, viaServices: readonly string[] | undefined): Record<string, Record<string, unknown>> | undefined {
  if (viaServices === undefined) return undefined;
  if (viaServices.length === 0) {
    throw propsError(scope, 'viaServices must not be empty when given: list services such as "s3.eu-west-2.amazonaws.com", or omit it');
  }
  return { StringEquals: { 'kms:ViaService': [...viaServices] } };
}

function normaliseAlias(scope: IConstruct, alias: string): string {
  const withPrefix = alias.startsWith('alias/') ? alias : `alias/${alias}`;
  if (withPrefix.startsWith('alias/aws/')) {
    throw propsError(scope, `alias must not start with "alias/aws/", got "${alias}": that prefix is reserved for AWS-managed keys; choose a name such as "core-prod/bulk-upload"`);
  }
  if (!Token.isUnresolved(withPrefix) && !/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(withPrefix)) {
    throw propsError(scope, `alias may contain only letters, digits, "/", "_" and "-" (at most 256 characters), got "${alias}": rename it, e.g. "core-prod/bulk-upload"`);
  }
  return withPrefix;
}

function defaultAliasName(scope: Construct): string {
  const stack = Stack.of(scope);
  const path = scope.node.path.split('/').slice(1).join('/');
  const stackName = Token.isUnresolved(stack.stackName) ? stack.node.id : stack.stackName;
  return `${stackName}/${path}`.replace(/[^a-zA-Z0-9/_-]/g, '-').slice(0, 250);
}
