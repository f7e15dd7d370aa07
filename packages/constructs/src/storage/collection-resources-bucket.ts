import { type Construct } from 'constructs';
import { SecureBucket, type SecureBucketProps } from './secure-bucket';

/** Props for {@link CollectionResourcesBucket}. */
export type CollectionResourcesBucketProps = Omit<SecureBucketProps, 'versioned'>;

/**
 * The bucket holding collection resources: the downloadable forms and guidance for each
 * collection year, which the app reads and replaces. Always versioned, so a replaced
 * resource can be restored; encrypted with SSE-KMS under a rotating customer-managed key
 * (the app reads and writes it with its task role, so KMS costs nothing in usability).
 *
 * Give the app access with `grantReadWrite(taskRole)`.
 */
export class CollectionResourcesBucket extends SecureBucket {
  constructor(scope: Construct, id: string, props: CollectionResourcesBucketProps = {}) {
    super(scope, id, { ...props, versioned: true });
  }
}
