/** A CloudFormation resource type whose replacement or deletion loses data. */
export interface StatefulResourceType {
  /** CloudFormation resource type, e.g. `AWS::S3::Bucket`. */
  readonly type: string;
  /** What is lost when the resource is replaced or deleted, in one line. */
  readonly dataAtRisk: string;
}

/**
 * The resource types the destructive-change gate protects.
 *
 * A type is on the list when replacing or deleting the physical resource loses something that
 * the template cannot recreate: stored data, generated secrets, key material or history. A
 * type whose whole state lives in the template (a security group, a task definition, an SNS
 * topic, an SSM parameter written by CDK) is left off, because a replacement rebuilds it
 * exactly.
 *
 * Decisions on borderline types:
 * - `AWS::SQS::Queue` is on the list: messages not yet consumed, and everything in a
 *   dead-letter queue, exist nowhere else (CDK's default removal policy for queues is
 *   DESTROY, so the gate is the only thing that notices).
 * - `AWS::ElastiCache::CacheCluster` is on the list even though Memcached is a pure cache:
 *   the same type also runs single-node Redis, which holds queues and sessions.
 * - `AWS::Route53::HostedZone` is on the list: a replacement gets new name servers, so the
 *   parent delegation breaks, and records created outside the stack are lost.
 * - `AWS::SNS::Topic`, `AWS::SSM::Parameter`, `AWS::CertificateManager::Certificate` and
 *   `AWS::ECS::TaskDefinition` are not: CloudFormation recreates them whole from the template.
 * - `AWS::CloudFormation::Stack` (a nested stack) is on the list: deleting it deletes every
 *   resource inside, and the gate does not compare nested templates resource by resource, so
 *   it at least stops the removal of a whole nested stack.
 */
export const STATEFUL_RESOURCE_TYPES: readonly StatefulResourceType[] = [
  { type: 'AWS::RDS::DBInstance', dataAtRisk: 'the database and its automated backups, which are deleted with the instance' },
  { type: 'AWS::RDS::DBCluster', dataAtRisk: 'the cluster volume with every database on it, and its automated backups' },
  { type: 'AWS::ElastiCache::ReplicationGroup', dataAtRisk: 'everything held in Redis: queued background jobs, sessions and cached state' },
  { type: 'AWS::ElastiCache::CacheCluster', dataAtRisk: 'everything held in the cache node, including Redis queues and sessions on single-node clusters' },
  { type: 'AWS::ElastiCache::ServerlessCache', dataAtRisk: 'everything held in the serverless cache, including Redis queues and sessions' },
  { type: 'AWS::MemoryDB::Cluster', dataAtRisk: 'the durable in-memory data set of the cluster' },
  { type: 'AWS::S3::Bucket', dataAtRisk: 'every object (and every object version) stored in the bucket' },
  { type: 'AWS::DynamoDB::Table', dataAtRisk: 'every item in the table and its point-in-time recovery history' },
  { type: 'AWS::DynamoDB::GlobalTable', dataAtRisk: 'every item in every replica of the table and its point-in-time recovery history' },
  { type: 'AWS::ECR::Repository', dataAtRisk: 'every container image in the repository, including the ones running services and rollbacks need' },
  { type: 'AWS::KMS::Key', dataAtRisk: 'the key material: everything encrypted under the key becomes unreadable once its deletion window ends' },
  { type: 'AWS::SecretsManager::Secret', dataAtRisk: 'the secret value, e.g. a generated database password that nothing else records' },
  { type: 'AWS::Logs::LogGroup', dataAtRisk: 'the log history, including audit and access logs kept for retention requirements' },
  { type: 'AWS::EFS::FileSystem', dataAtRisk: 'every file stored on the file system' },
  { type: 'AWS::FSx::FileSystem', dataAtRisk: 'every file stored on the file system' },
  { type: 'AWS::Backup::BackupVault', dataAtRisk: 'the recovery points in the vault; a replacement vault starts empty' },
  { type: 'AWS::Cognito::UserPool', dataAtRisk: 'every user account and password hash, which cannot be exported' },
  { type: 'AWS::OpenSearchService::Domain', dataAtRisk: 'every index and document stored in the domain' },
  { type: 'AWS::Elasticsearch::Domain', dataAtRisk: 'every index and document stored in the domain' },
  { type: 'AWS::DocDB::DBCluster', dataAtRisk: 'the cluster volume with every document database on it' },
  { type: 'AWS::DocDBElastic::Cluster', dataAtRisk: 'every document database on the elastic cluster\'s shards' },
  { type: 'AWS::Redshift::Cluster', dataAtRisk: 'every table in the data warehouse, and its automated snapshots, which are deleted with the cluster' },
  { type: 'AWS::EC2::Volume', dataAtRisk: 'every block written to the volume since it was created' },
  { type: 'AWS::Neptune::DBCluster', dataAtRisk: 'the cluster volume with the whole graph on it' },
  { type: 'AWS::Kinesis::Stream', dataAtRisk: 'records in the stream that consumers have not yet processed, up to its retention period' },
  { type: 'AWS::SQS::Queue', dataAtRisk: 'messages not yet consumed, including failed messages kept in a dead-letter queue for replay' },
  { type: 'AWS::Route53::HostedZone', dataAtRisk: 'the delegated name servers and any records created outside the stack' },
  { type: 'AWS::CloudFormation::Stack', dataAtRisk: 'every resource of the nested stack, stateful ones included' },
];

const BY_TYPE: ReadonlyMap<string, StatefulResourceType> = new Map(STATEFUL_RESOURCE_TYPES.map((entry) => [entry.type, entry]));

/**
 * Finds the entry of a resource type in a list of stateful types.
 *
 * @param type CloudFormation resource type
 * @param statefulTypes the list to look in
 * @returns the entry, or `undefined` when the type is not stateful
 */
export function findStatefulResourceType(
  type: string,
  statefulTypes: readonly StatefulResourceType[] = STATEFUL_RESOURCE_TYPES,
): StatefulResourceType | undefined {
  if (statefulTypes === STATEFUL_RESOURCE_TYPES) {
    return BY_TYPE.get(type);
  }
  return statefulTypes.find((entry) => entry.type === type);
}

/**
 * Whether replacing or deleting a resource of this type loses data, according to
 * {@link STATEFUL_RESOURCE_TYPES}.
 *
 * @param type CloudFormation resource type, e.g. `AWS::RDS::DBInstance`
 */
export function isStatefulResourceType(type: string): boolean {
  return BY_TYPE.has(type);
}
