import type { RiskRule } from '../../risk-rule';
import { isObject } from '../../values';
import { canBe } from './settings';

/** CORE.DURABLE.1: a bucket's versioning is never suspended. */
export const S3_VERSIONING_NEVER_SUSPENDED: RiskRule = {
  id: 'CORE.DURABLE.1',
  ruleName: 'S3_VERSIONING_NEVER_SUSPENDED',
  file: 'engine:risk/durability/s3-versioning-never-suspended',
  title: 'S3 bucket versioning is never suspended',
  severity: 'high',
  description:
    'No S3 bucket sets VersioningConfiguration.Status to Suspended, directly or in a branch of Fn::If. Suspending ' +
    'versioning on a bucket that had it keeps the old versions but makes every later overwrite and delete destroy ' +
    'the only copy, while the bucket still looks versioned. CORE.S3.4 accepts a bucket whose versioning is not ' +
    'Enabled as long as it has an enabled lifecycle rule, so a suspended bucket with lifecycle rules passes it; this ' +
    'rule closes that gap. A bucket that never had versioning (no VersioningConfiguration) is CORE.S3.4’s concern.',
  remediation:
    'Keep versioned: true (Status Enabled), and expire old versions with a noncurrentVersionExpiration lifecycle rule ' +
    'instead of suspending versioning to save storage.',
  resourceTypes: ['AWS::S3::Bucket'],
  nistControls: ['CP-9', 'CP-10', 'SI-12'],
  profile: 'baseline',
  check: (resource) => {
    const versioning = resource.properties.VersioningConfiguration;
    if (!isObject(versioning) || !canBe(versioning.Status, 'Suspended')) return [];
    const how = typeof versioning.Status === 'string' ? 'is Suspended' : 'can be Suspended through Fn::If';
    return [{ message: `VersioningConfiguration.Status ${how}: later overwrites and deletes destroy the only copy of an object`, location: 'Properties.VersioningConfiguration.Status' }];
  },
};
