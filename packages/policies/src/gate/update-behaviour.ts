import { type TemplateResource } from './templates';

/**
 * How CloudFormation applies a change to one property, in the terms of its "Update requires"
 * labels: in place without an outage, in place with a brief outage (a reboot, an I/O
 * suspension), or by creating a new resource and deleting the old one.
 */
export type UpdateBehaviour = 'no-interruption' | 'some-interruption' | 'replacement';

/** One changed property, as an {@link UpdateBehaviourException} sees it. */
export interface PropertyChange {
  /** The baseline value; `undefined` when the property is added. */
  readonly oldValue: unknown;
  /** The synthesized value; `undefined` when the property is removed. */
  readonly newValue: unknown;
  /** The resource as the baseline template declares it. */
  readonly oldResource: TemplateResource;
  /** The resource as the synthesized template declares it; its `UpdatePolicy` governs the update. */
  readonly newResource: TemplateResource;
}

/** What the documentation says a change does. */
export interface DocumentedUpdate {
  /** The documented behaviour for this particular change. */
  readonly behaviour: UpdateBehaviour;
  /** One line for the report: what the update does to the running resource, and on which condition. */
  readonly explanation: string;
}

/**
 * A property whose update behaviour the CloudFormation documentation states more precisely
 * than the resource specification CDK's diff engine reads. That specification has only "yes",
 * "no" and "maybe" (the legacy `Conditional`), and uses "maybe" both for properties that
 * never replace but interrupt and for those that replace on a stated condition.
 */
export interface UpdateBehaviourException {
  /** CloudFormation resource type, e.g. `AWS::RDS::DBInstance`. */
  readonly resourceType: string;
  /** Top-level property name. */
  readonly property: string;
  /** The documentation page and anchor the entry follows, so a reviewer can check it. */
  readonly documentation: string;
  /** The documented behaviour of one change, as a function of the old and new values. */
  readonly judge: (change: PropertyChange) => DocumentedUpdate;
}

const CFN_DOCS = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference';

/**
 * Documented update behaviours that override the specification's "maybe" (or "no").
 *
 * An entry belongs here only when the "Update requires" label and the prose of the property's
 * documentation agree. Labels alone are not enough: the RDS restore properties
 * (`DBSnapshotIdentifier`, `SourceDBInstanceIdentifier`, `RestoreTime`) are labelled "Some
 * interruptions" while the prose says the original instance is deleted, so they stay "maybe".
 * `MultiAZ` and `AvailabilityZone` are left to the specification as well, because the
 * documentation revisions disagree.
 */
export const UPDATE_BEHAVIOUR_EXCEPTIONS: readonly UpdateBehaviourException[] = [
  {
    resourceType: 'AWS::RDS::DBInstance',
    property: 'BackupRetentionPeriod',
    documentation: `${CFN_DOCS}/aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-backupretentionperiod`,
    judge: ({ oldValue, newValue }) => ({
      behaviour: 'some-interruption',
      // RDS documents the outage for a change to or from 0 only, which is worth saying, because
      // turning automated backups off also ends point-in-time recovery.
      explanation: crossesZero(oldValue, newValue)
        ? 'switches automated backups on or off: RDS suspends I/O for seconds to minutes (Update requires: Some interruptions)'
        : 'RDS applies a change between two non-zero retention periods in place (Update requires: Some interruptions; ' +
          'only a change to or from 0 causes an outage)',
    }),
  },
  {
    resourceType: 'AWS::ElastiCache::ReplicationGroup',
    property: 'NumNodeGroups',
    documentation: `${CFN_DOCS}/aws-resource-elasticache-replicationgroup.html#cfn-elasticache-replicationgroup-numnodegroups`,
    judge: ({ newResource }) =>
      isTrue(updatePolicyOf(newResource).UseOnlineResharding)
        ? { behaviour: 'no-interruption', explanation: 'resharded online (UpdatePolicy UseOnlineResharding: true)' }
        : {
            behaviour: 'replacement',
            explanation: 'without UpdatePolicy UseOnlineResharding: true, CloudFormation replaces the group; set it to reshard online',
          },
  },
];

const BY_KEY: ReadonlyMap<string, UpdateBehaviourException> = new Map(
  UPDATE_BEHAVIOUR_EXCEPTIONS.map((entry) => [`${entry.resourceType}.${entry.property}`, entry]),
);

/**
 * Finds the documented exception for a property, if there is one.
 *
 * @param resourceType CloudFormation resource type
 * @param property top-level property name
 * @param exceptions the table to look in
 * @returns the entry, or `undefined` when the specification's behaviour stands
 */
export function findUpdateBehaviourException(
  resourceType: string,
  property: string,
  exceptions: readonly UpdateBehaviourException[] = UPDATE_BEHAVIOUR_EXCEPTIONS,
): UpdateBehaviourException | undefined {
  if (exceptions === UPDATE_BEHAVIOUR_EXCEPTIONS) {
    return BY_KEY.get(`${resourceType}.${property}`);
  }
  return exceptions.find((entry) => entry.resourceType === resourceType && entry.property === property);
}

/** Whether a retention change turns automated backups on or off; an unresolvable value may. */
function crossesZero(oldValue: unknown, newValue: unknown): boolean {
  // CloudFormation's documented default for an absent BackupRetentionPeriod is 1 day.
  const before = retentionDays(oldValue);
  const after = retentionDays(newValue);
  if (before === undefined || after === undefined) {
    return true;
  }
  return (before === 0) !== (after === 0);
}

function retentionDays(value: unknown): number | undefined {
  if (value === undefined) {
    return 1;
  }
  const days = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(days) ? days : undefined;
}

function updatePolicyOf(resource: TemplateResource): Record<string, unknown> {
  const policy = resource.UpdatePolicy;
  return policy !== null && typeof policy === 'object' ? (policy as Record<string, unknown>) : {};
}

function isTrue(value: unknown): boolean {
  // CloudFormation accepts the string "true" wherever it accepts a boolean.
  return value === true || value === 'true';
}
