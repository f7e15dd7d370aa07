import type { RiskRule } from '../../risk-rule';
import { DATA_STORE_RETAINED } from './data-store-retained';
import { DATABASE_BACKUPS_KEPT } from './database-backups-kept';
import { IN_MEMORY_SNAPSHOTS_KEPT } from './in-memory-snapshots-kept';
import { S3_VERSIONING_NEVER_SUSPENDED } from './s3-versioning-never-suspended';
import { TABLE_AND_FILE_BACKUPS_ENABLED } from './table-and-file-backups-enabled';

export { DATA_STORE_RETAINED, DATABASE_BACKUPS_KEPT, IN_MEMORY_SNAPSHOTS_KEPT, S3_VERSIONING_NEVER_SUSPENDED, TABLE_AND_FILE_BACKUPS_ENABLED };

/**
 * Risk family 6: data durability — versioning that stays on, backups on every stateful type
 * (production-only where CORE's non-production environments keep throw-away data), and retention
 * of the stateful types CORE.STATEFUL.1 does not list.
 */
export const DURABILITY_RISK_RULES: readonly RiskRule[] = [
  S3_VERSIONING_NEVER_SUSPENDED,
  DATABASE_BACKUPS_KEPT,
  IN_MEMORY_SNAPSHOTS_KEPT,
  TABLE_AND_FILE_BACKUPS_ENABLED,
  DATA_STORE_RETAINED,
];
