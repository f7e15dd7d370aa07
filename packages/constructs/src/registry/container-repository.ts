import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, type IConstruct } from 'constructs';
import { assertRoleArns } from '../delivery/iam-role-arn';
import { EncryptionKey } from '../security/encryption-key';
import { propsError } from '../shared/errors';

/** The actions a cross-account puller needs on the repository (the registry login is granted in its own account). */
export const IMAGE_PULL_ACTIONS: readonly string[] = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

/** Scan-finding severities that raise an alert. */
export const ALERTING_SCAN_SEVERITIES: readonly string[] = ['CRITICAL', 'HIGH', 'MEDIUM'];

/**
 * The lifecycle of CORE's application images, keyed on the tags the deploy pipeline adds:
 * keep the last 3 `production-*` and the last 10 `staging-*` images, and expire `review-*`
 * images 30 days after push. Images tagged only with a commit SHA match no rule and stay.
 */
export const APPLICATION_IMAGE_LIFECYCLE_RULES: readonly ecr.LifecycleRule[] = [
  {
    rulePriority: 1,
    description: 'Keep the last 3 production images',
    tagStatus: ecr.TagStatus.TAGGED,
    tagPatternList: ['production-*'],
    maxImageCount: 3,
  },
  {
    rulePriority: 2,
    description: 'Keep the last 10 staging images',
    tagStatus: ecr.TagStatus.TAGGED,
    tagPatternList: ['staging-*'],
    maxImageCount: 10,
  },
  {
    rulePriority: 3,
    description: 'Expire review-app images 30 days after push',
    tagStatus: ecr.TagStatus.TAGGED,
    tagPatternList: ['review-*'],
    maxImageAge: Duration.days(30),
  },
];

/** Props for {@link ContainerRepository}. */
export interface ContainerRepositoryProps {
  /** Name of the repository, e.g. `core`. */
  readonly repositoryName: string;

  /** SNS topic that receives the EventBridge event of every scan with MEDIUM, HIGH or CRITICAL findings. */
  readonly scanFindingsTopic: sns.ITopic;

  /**
   * Whether pushed tags can be overwritten. Deployments key on tags, so application
   * repositories keep them immutable; one-off tooling images may be mutable.
   *
   * @default ecr.TagMutability.IMMUTABLE
   */
  readonly imageTagMutability?: ecr.TagMutability;

  /**
   * Lifecycle rules, evaluated in `rulePriority` order. Pass an empty list to keep every image.
   *
   * @default - {@link APPLICATION_IMAGE_LIFECYCLE_RULES}: keep the last 3 `production-*` and 10 `staging-*` images, expire `review-*` after 30 days
   */
  readonly lifecycleRules?: readonly ecr.LifecycleRule[];

  /**
   * ARNs of the roles, usually ECS task-execution roles of the workload accounts, that may
   * pull images. Each is named in the repository policy and may decrypt with the repository key.
   *
   * @default - no cross-account pulls; only principals of this account with IAM permissions can pull
   */
  readonly pullRoleArns?: readonly string[];

  /**
   * Key that encrypts the images. Its key policy is extended with the pull roles.
   *
   * @default - a new customer-managed key with yearly rotation, removed with the repository's removal policy
   */
  readonly encryptionKey?: EncryptionKey;

  /**
   * What happens to the repository and its images when it leaves the stack. With
   * `DESTROY` the images are deleted too.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An ECR repository with scan on push, a customer-managed encryption key, immutable tags by
 * default, lifecycle rules, pulls limited to named roles of the workload accounts, and an
 * EventBridge rule that sends MEDIUM-and-above scan findings to an alert topic.
 *
 * Push access is never granted through the repository policy: call {@link grantPush} for
 * the CI role. The pull roles must already exist when the repository policy is applied
 * (ECR and KMS validate principals), so workload accounts are bootstrapped first.
 *
 * If the alert topic is encrypted, its key must allow `events.amazonaws.com` to generate
 * data keys (see `EncryptionKey.allowServiceToPublish`).
 *
 * @example
 * const repository = new ContainerRepository(stack, 'Core', {
 *   repositoryName: 'core',
 *   scanFindingsTopic: alerts.topic,
 *   pullRoleArns: ['arn:aws:iam::111122223333:role/core-prod-task-execution'],
 * });
 * repository.grantPush(ciRole);
 */
export class ContainerRepository extends Construct {
  /** The ECR repository. */
  public readonly repository: ecr.Repository;

  /** Name of the repository. */
  public readonly repositoryName: string;

  /** ARN of the repository. */
  public readonly repositoryArn: string;

  /** URI of the repository, without a tag. */
  public readonly repositoryUri: string;

  /** Key that encrypts the images. */
  public readonly encryptionKey: EncryptionKey;

  /** Tag mutability in force. */
  public readonly imageTagMutability: ecr.TagMutability;

  /** Lifecycle rules in force. */
  public readonly lifecycleRules: readonly ecr.LifecycleRule[];

  /** Roles allowed to pull. */
  public readonly pullRoleArns: readonly string[];

  /** Removal policy in force. */
  public readonly removalPolicy: RemovalPolicy;

  /** EventBridge rule that forwards MEDIUM-and-above scan findings to the alert topic. */
  public readonly scanFindingsRule: events.Rule;

  constructor(scope: Construct, id: string, props: ContainerRepositoryProps) {
    super(scope, id);

    this.imageTagMutability = props.imageTagMutability ?? ecr.TagMutability.IMMUTABLE;
    this.lifecycleRules = props.lifecycleRules ?? APPLICATION_IMAGE_LIFECYCLE_RULES;
    this.pullRoleArns = props.pullRoleArns ?? [];
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.pullRoleArns.forEach((arn) => assertPullRoleArn(this, arn));
    if (this.imageTagMutability !== ecr.TagMutability.IMMUTABLE && this.imageTagMutability !== ecr.TagMutability.MUTABLE) {
      throw propsError(this, `imageTagMutability is ${this.imageTagMutability}, which needs exclusion filters this construct does not take: use TagMutability.IMMUTABLE or TagMutability.MUTABLE`);
    }

    this.encryptionKey =
      props.encryptionKey ??
      new EncryptionKey(this, 'EncryptionKey', {
        description: `Encrypts the images in the ${props.repositoryName} container repository`,
        removalPolicy: this.removalPolicy,
      });

    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: props.repositoryName,
      imageTagMutability: this.imageTagMutability,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: this.encryptionKey.key,
      removalPolicy: this.removalPolicy,
      emptyOnDelete: this.removalPolicy === RemovalPolicy.DESTROY ? true : undefined,
    });
    for (const rule of this.lifecycleRules) {
      this.repository.addLifecycleRule(rule);
    }

    this.repositoryName = this.repository.repositoryName;
    this.repositoryArn = this.repository.repositoryArn;
    this.repositoryUri = this.repository.repositoryUri;

    if (this.pullRoleArns.length > 0) {
      // The pulling accounts are the principals and the role ARNs a condition: a policy naming a
      // role directly is rejected while that role does not exist yet (the registry deploys
      // before the workload accounts), and per-review-app roles can only be matched by pattern.
      const accounts = [...new Set(this.pullRoleArns.map((arn) => arn.split(':')[4]))].map((account) => new iam.AccountPrincipal(account));
      const onlyTheseRoles = { ArnLike: { 'aws:PrincipalArn': [...this.pullRoleArns] } };
      this.repository.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowPullByNamedRoles',
          principals: accounts,
          actions: [...IMAGE_PULL_ACTIONS],
          conditions: onlyTheseRoles,
        }),
      );
      // Cross-account pulls of KMS-encrypted images are authorised against the key policy of
      // the repository key, which another account's IAM policy cannot grant.
      this.encryptionKey.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowImageDecryptionByPullRoles',
          principals: accounts,
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: onlyTheseRoles,
        }),
      );
    }

    this.scanFindingsRule = new events.Rule(this, 'ScanFindingsRule', {
      description: `Image scans of ${props.repositoryName} with MEDIUM, HIGH or CRITICAL findings`,
      eventPattern: {
        source: ['aws.ecr'],
        detailType: ['ECR Image Scan'],
        detail: {
          'repository-name': [this.repositoryName],
          'scan-status': ['COMPLETE'],
          'finding-severity-counts': {
            $or: ALERTING_SCAN_SEVERITIES.map((severity) => ({ [severity]: events.Match.greaterThan(0) })),
          },
        },
      },
      targets: [new targets.SnsTopic(props.scanFindingsTopic)],
    });
  }

  /**
   * Lets the grantee push images and promote them by re-tagging: layer upload and
   * `PutImage`, reading manifests back (`BatchGetImage`) and checking which tags exist
   * (`DescribeImages`, `ListImages`), plus the registry login (`ecr:GetAuthorizationToken`,
   * which AWS only authorises on `*`).
   *
   * @param grantee the CI role that builds, pushes and re-tags images
   */
  public grantPush(grantee: iam.IGrantable): iam.Grant {
    return this.repository.grantPullPush(grantee).combine(this.repository.grant(grantee, 'ecr:DescribeImages', 'ecr:ListImages'));
  }
}

/**
 * Checks a pull role: an exact role ARN, or a role-name pattern with `*` after a literal prefix
 * of at least 8 characters (e.g. `…:role/core-review-*-task-execution` for per-review-app roles),
 * always with a literal account.
 */
function assertPullRoleArn(scope: IConstruct, arn: string): void {
  if (!arn.includes('*')) {
    assertRoleArns(scope, 'pullRoleArns', [arn]);
    return;
  }
  if (!/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{8,}\*[\w+=,.@/*-]*$/.test(arn)) {
    throw propsError(scope, `pullRoleArns must hold role ARNs or role-name patterns with a literal account and at least 8 characters before "*", got "${arn}": e.g. "arn:aws:iam::123456789012:role/core-review-*-task-execution"`);
  }
}
