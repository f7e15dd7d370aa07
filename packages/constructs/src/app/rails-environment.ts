import { Stack } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

/** Instance names the app looks up in `S3_CONFIG` (`BULK_UPLOAD_BUCKET` and friends hold these, not bucket names). */
export const S3_INSTANCE_NAMES = {
  /** Instance name of the bulk-upload bucket. */
  bulkUpload: 'bulk-upload-bucket',
  /** Instance name of the collection-resources bucket. */
  collectionResources: 'collection-resources-bucket',
  /** Instance name of the CDS export bucket. */
  export: 'export-bucket',
} as const;

/** What the Rails app's environment is built from. */
export interface RailsEnvironmentOptions {
  /** Public hostname of the service, e.g. `submit-social-housing-data.communities.gov.uk`. */
  readonly appHost: string;
  /** `RAILS_ENV`: `production`, `staging` or `review`. */
  readonly railsEnv: string;
  /** Bucket of CSV bulk uploads. */
  readonly bulkUploadBucket: s3.IBucket;
  /** Bucket of collection resources (templates and guidance files). */
  readonly collectionResourcesBucket: s3.IBucket;
  /** Bucket the CDS export is written to. */
  readonly exportBucket: s3.IBucket;
  /** `rediss://` URL of Redis, when it reaches the app as a plain value. */
  readonly redisUrl?: string;
  /** URL prefix of a review app, e.g. `/1234`. */
  readonly relativeUrlRoot?: string;
}

/**
 * Builds the plain (non-secret) environment the CORE Rails app reads: host and Rails
 * settings, the `S3_CONFIG` and `REDIS_CONFIG` JSON documents in the shape the app's
 * configuration services parse, and the bucket instance names.
 *
 * @param scope any construct of the stack that uses the environment (tokens resolve there)
 * @param options what to build it from
 */
export function railsEnvironment(scope: IConstruct, options: RailsEnvironmentOptions): Record<string, string> {
  const stack = Stack.of(scope);
  const bucketEntry = (instanceName: string, bucket: s3.IBucket) => ({
    instance_name: instanceName,
    credentials: { aws_region: bucket.env.region, bucket_name: bucket.bucketName },
  });
  const environment: Record<string, string> = {
    APP_HOST: options.appHost,
    RAILS_ENV: options.railsEnv,
    RAILS_LOG_TO_STDOUT: 'true',
    RAILS_SERVE_STATIC_FILES: 'true',
    BULK_UPLOAD_BUCKET: S3_INSTANCE_NAMES.bulkUpload,
    COLLECTION_RESOURCES_BUCKET: S3_INSTANCE_NAMES.collectionResources,
    EXPORT_BUCKET: S3_INSTANCE_NAMES.export,
    S3_CONFIG: stack.toJsonString([
      bucketEntry(S3_INSTANCE_NAMES.bulkUpload, options.bulkUploadBucket),
      bucketEntry(S3_INSTANCE_NAMES.collectionResources, options.collectionResourcesBucket),
      bucketEntry(S3_INSTANCE_NAMES.export, options.exportBucket),
    ]),
  };
  if (options.redisUrl !== undefined) {
    environment.REDIS_CONFIG = stack.toJsonString([{ instance_name: '', credentials: { uri: options.redisUrl } }]);
  }
  if (options.relativeUrlRoot !== undefined) {
    environment.RAILS_RELATIVE_URL_ROOT = options.relativeUrlRoot;
  }
  return environment;
}
