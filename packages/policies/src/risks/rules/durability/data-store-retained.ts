import type { RiskRule, RiskViolation } from '../../risk-rule';
import { renderString } from '../../values';
import { holdsData } from './settings';

// Types that hold data CloudFormation would delete, beyond CORE.STATEFUL.1's list; `true` where
// CloudFormation can snapshot the resource instead of keeping it.
const DATA_STORES: Readonly<Record<string, boolean>> = {
  'AWS::DocDB::DBCluster': true,
  'AWS::Neptune::DBCluster': true,
  'AWS::Redshift::Cluster': true,
  'AWS::EC2::Volume': true,
  'AWS::ElastiCache::CacheCluster': true,
  'AWS::DocDBElastic::Cluster': false,
  'AWS::ElastiCache::ServerlessCache': false,
  'AWS::MemoryDB::Cluster': false,
  'AWS::FSx::FileSystem': false,
  'AWS::Backup::BackupVault': false,
  'AWS::Cognito::UserPool': false,
  'AWS::OpenSearchService::Domain': false,
  'AWS::Elasticsearch::Domain': false,
};

/** CORE.DURABLE.5: production data stores that CORE.STATEFUL.1 does not list keep their data on deletion and replacement. */
export const DATA_STORE_RETAINED: RiskRule = {
  id: 'CORE.DURABLE.5',
  ruleName: 'DATA_STORE_RETAINED',
  file: 'engine:risk/durability/data-store-retained',
  title: 'Production data stores beyond CORE.STATEFUL.1’s list keep their data on deletion and replacement',
  severity: 'high',
  description:
    'DocumentDB (including elastic), Neptune and Redshift clusters, EBS volumes, Redis and Valkey caches ' +
    '(node-based and serverless), MemoryDB clusters, FSx file systems, backup vaults, Cognito user pools and ' +
    'OpenSearch/Elasticsearch domains set DeletionPolicy to Retain or RetainExceptOnCreate and UpdateReplacePolicy to ' +
    'Retain; the types CloudFormation can snapshot (DocumentDB, Neptune, Redshift, EBS, cache clusters) may use ' +
    'Snapshot for both. CORE.STATEFUL.1 covers the other stateful types. Production only: a risk rule cannot see the ' +
    'template’s ephemeral marker that exempts review apps from CORE.STATEFUL.1, and the destructive-change gate ' +
    'already stops the deletion or replacement of these types in every environment.',
  remediation:
    'Apply RemovalPolicy.RETAIN (RemovalPolicy.SNAPSHOT where CloudFormation supports it), or acknowledge the finding ' +
    'with a reason if the store holds nothing that must outlive the stack.',
  resourceTypes: Object.keys(DATA_STORES),
  nistControls: ['CM-3', 'CP-9', 'CP-10'],
  profile: 'production',
  check: (resource) => {
    if (!holdsData(resource)) return [];
    const snapshot = DATA_STORES[resource.type] === true;
    const violations: RiskViolation[] = [];
    const deletion = renderString(resource.entry.DeletionPolicy);
    if (!['Retain', 'RetainExceptOnCreate', ...(snapshot ? ['Snapshot'] : [])].includes(deletion ?? '')) {
      violations.push({ message: `DeletionPolicy is ${deletion ?? 'not set (Delete)'}: removing the resource from the stack deletes its data`, location: 'DeletionPolicy' });
    }
    const replace = renderString(resource.entry.UpdateReplacePolicy);
    if (!['Retain', ...(snapshot ? ['Snapshot'] : [])].includes(replace ?? '')) {
      violations.push({ message: `UpdateReplacePolicy is ${replace ?? 'not set (Delete)'}: a change that replaces the resource deletes its data`, location: 'UpdateReplacePolicy' });
    }
    return violations;
  },
};
