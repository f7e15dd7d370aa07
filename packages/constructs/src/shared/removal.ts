import { RemovalPolicy } from 'aws-cdk-lib';

/**
 * The removal policy of what a stateful resource depends on (its key, log groups, secrets,
 * parameter groups): destroyed with an ephemeral resource (`DESTROY`, as review apps ask),
 * retained otherwise. `SNAPSHOT` on the resource itself becomes `RETAIN` here, since only the
 * resource can be snapshotted, and its snapshot is useless without the key that encrypts it.
 *
 * @param resourcePolicy the removal policy of the stateful resource itself
 * @returns `DESTROY` when the resource is destroyed, otherwise `RETAIN`
 */
export function retainUnlessEphemeral(resourcePolicy: RemovalPolicy): RemovalPolicy {
  return resourcePolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}
