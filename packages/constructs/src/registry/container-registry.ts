import { type CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { APPLICATION_IMAGE_LIFECYCLE_RULES, ContainerRepository } from './container-repository';
import { propsError } from '../shared/errors';

/**
 * Lifecycle of the one-off migration images: their tags are mutable, so every re-push
 * leaves the previous image untagged; those are removed after 14 days while tagged
 * images stay.
 */
export const MIGRATION_IMAGE_LIFECYCLE_RULES: readonly ecr.LifecycleRule[] = [
  {
    rulePriority: 1,
    description: 'Expire untagged images 14 days after push',
    tagStatus: ecr.TagStatus.UNTAGGED,
    maxImageAge: Duration.days(14),
  },
];

/** Props for {@link ContainerRegistry}. */
export interface ContainerRegistryProps {
  /** SNS topic that receives MEDIUM-and-above image-scan findings of every repository. */
  readonly scanFindingsTopic: sns.ITopic;

  /** ARNs of the ECS task-execution roles of the workload accounts that pull the application image. */
  readonly applicationPullRoleArns: readonly string[];

  /**
   * Name of the application repository.
   *
   * @default 'core'
   */
  readonly applicationRepositoryName?: string;

  /**
   * Lifecycle rules of the application repository.
   *
   * @default - {@link APPLICATION_IMAGE_LIFECYCLE_RULES}: keep the last 3 `production-*` and 10 `staging-*` images, expire `review-*` after 30 days
   */
  readonly applicationLifecycleRules?: readonly ecr.LifecycleRule[];

  /**
   * Whether the `db-migration` and `s3-migration` repositories of the one-off data migration exist.
   *
   * @default false
   */
  readonly migrationRepositoriesEnabled?: boolean;

  /**
   * ARNs of the task-execution roles that run the database migration task. Required (and
   * only allowed) when `migrationRepositoriesEnabled` is true.
   *
   * @default - none
   */
  readonly dbMigrationPullRoleArns?: readonly string[];

  /**
   * ARNs of the task-execution roles that run the bucket migration tasks. Required (and
   * only allowed) when `migrationRepositoriesEnabled` is true.
   *
   * @default - none
   */
  readonly s3MigrationPullRoleArns?: readonly string[];

  /**
   * What happens to the repositories and their images when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * CORE's container registry in the meta account: the immutable `core` application
 * repository always, and the mutable `db-migration` and `s3-migration` repositories of the
 * one-off data migration only while `migrationRepositoriesEnabled` is on. Each repository
 * scans on push, is encrypted with its own customer-managed key, lets only its named roles
 * pull, and sends MEDIUM-and-above findings to the alert topic.
 *
 * The migration repositories' mutable tags break policy CORE.ECR.1 on purpose; the registry
 * acknowledges that finding with its reason in each repository's template metadata, so it
 * appears in every policy report (and in the committed baseline) as accepted rather than open.
 */
export class ContainerRegistry extends Construct {
  /** The application repository (`core`). */
  public readonly application: ContainerRepository;

  /** The database migration repository, when migration repositories are enabled. */
  public readonly dbMigration?: ContainerRepository;

  /** The bucket migration repository, when migration repositories are enabled. */
  public readonly s3Migration?: ContainerRepository;

  /** Every repository of the registry. */
  public readonly repositories: readonly ContainerRepository[];

  /** Whether the migration repositories exist. */
  public readonly migrationRepositoriesEnabled: boolean;

  /** Removal policy in force. */
  public readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);

    this.migrationRepositoriesEnabled = props.migrationRepositoriesEnabled ?? false;
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const dbMigrationPullRoleArns = props.dbMigrationPullRoleArns ?? [];
    const s3MigrationPullRoleArns = props.s3MigrationPullRoleArns ?? [];

    if (props.applicationPullRoleArns.length === 0) {
      throw propsError(this, 'applicationPullRoleArns is empty: name the task-execution role of every workload account that runs the application image');
    }
    for (const [propName, arns] of [
      ['dbMigrationPullRoleArns', dbMigrationPullRoleArns],
      ['s3MigrationPullRoleArns', s3MigrationPullRoleArns],
    ] as const) {
      if (!this.migrationRepositoriesEnabled && arns.length > 0) {
        throw propsError(this, `${propName} is set but migrationRepositoriesEnabled is false: set migrationRepositoriesEnabled to true, or remove ${propName}`);
      }
      if (this.migrationRepositoriesEnabled && arns.length === 0) {
        throw propsError(this, `${propName} is empty but migrationRepositoriesEnabled is true: name the task-execution roles that run the migration, or turn migrationRepositoriesEnabled off`);
      }
    }

    this.application = new ContainerRepository(this, 'Application', {
      repositoryName: props.applicationRepositoryName ?? 'core',
      scanFindingsTopic: props.scanFindingsTopic,
      lifecycleRules: props.applicationLifecycleRules ?? APPLICATION_IMAGE_LIFECYCLE_RULES,
      pullRoleArns: props.applicationPullRoleArns,
      removalPolicy: this.removalPolicy,
    });

    if (this.migrationRepositoriesEnabled) {
      this.dbMigration = this.migrationRepository('DbMigration', 'db-migration', dbMigrationPullRoleArns, props.scanFindingsTopic);
      this.s3Migration = this.migrationRepository('S3Migration', 's3-migration', s3MigrationPullRoleArns, props.scanFindingsTopic);
    }

    this.repositories = [this.application, this.dbMigration, this.s3Migration].filter((repository) => repository !== undefined);
  }

  private migrationRepository(id: string, repositoryName: string, pullRoleArns: readonly string[], scanFindingsTopic: sns.ITopic): ContainerRepository {
    const repository = new ContainerRepository(this, id, {
      repositoryName,
      scanFindingsTopic,
      imageTagMutability: ecr.TagMutability.MUTABLE,
      lifecycleRules: MIGRATION_IMAGE_LIFECYCLE_RULES,
      pullRoleArns,
      removalPolicy: this.removalPolicy,
    });
    // The acknowledgement format of @core-infra/policies (what its acknowledgeFinding writes);
    // constructs do not depend on the policies package, so the metadata is written directly.
    (repository.repository.node.defaultChild as CfnResource).addMetadata('guard', {
      SuppressedRules: [
        {
          id: 'CORE.ECR.1',
          reason:
            'The one-off migration images are re-pushed under the same tag while the migration scripts are fixed up; ' +
            'nothing deploys them by tag, and the images a re-push replaces expire 14 days later',
        },
      ],
    });
    return repository;
  }
}
