import { Duration } from 'aws-cdk-lib';
import { type Construct } from 'constructs';
import { SecureBucket, SecureBucketEncryption, type SecureBucketProps } from './secure-bucket';

/** Props for {@link BulkUploadBucket}. */
export interface BulkUploadBucketProps extends Omit<SecureBucketProps, 'encryption'> {
  /**
   * Delete uploaded files this long after upload; they are only needed while an upload is
   * processed and for the short time users can download them again.
   *
   * @default - 30 days
   */
  readonly expiration?: Duration;

  /**
   * Delete overwritten or deleted versions this long after they become noncurrent.
   *
   * @default - 7 days
   */
  readonly noncurrentVersionExpiration?: Duration;
}

/**
 * The bucket holding CSV bulk uploads of lettings and sales logs (the app's "CSV bucket").
 * Files carry personal data, so they are encrypted with SSE-KMS under a rotating
 * customer-managed key and expire after 30 days.
 *
 * Every upload gets a random UUID key, so overwrites never happen; the bucket is still
 * versioned, with noncurrent versions deleted after 7 days, so a mistaken delete can be undone
 * for a week without keeping personal data much past its expiry.
 *
 * Give the app access with `grantReadWrite(taskRole)`; the app hands out 60-second presigned
 * GET URLs made with that role.
 */
export class BulkUploadBucket extends SecureBucket {
  constructor(scope: Construct, id: string, props: BulkUploadBucketProps = {}) {
    super(scope, id, {
      ...props,
      encryption: SecureBucketEncryption.KMS,
      expiration: props.expiration ?? Duration.days(30),
      noncurrentVersionExpiration: (props.versioned ?? true) ? (props.noncurrentVersionExpiration ?? Duration.days(7)) : props.noncurrentVersionExpiration,
    });
  }
}
