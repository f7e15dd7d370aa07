import type { RiskRule } from '../../risk-rule';
import { REVIEWED_RESOURCE_TYPES } from './reviewed-resource-types';

const REVIEWED = new Set(REVIEWED_RESOURCE_TYPES.map((entry) => entry.type));

/** CORE.TYPE.1: every resource type in a checked template is on the reviewed inventory. */
export const RESOURCE_TYPE_REVIEWED: RiskRule = {
  id: 'CORE.TYPE.1',
  ruleName: 'RESOURCE_TYPE_REVIEWED',
  file: 'engine:risk/inventory/resource-type-reviewed',
  title: 'Every resource type has been reviewed for policy coverage',
  severity: 'high',
  description:
    'The rules cover the risks of the types CORE has reviewed. A resource of any other type (a new service, a custom ' +
    'resource that runs arbitrary code) would pass every rule simply because no rule looks at it; the check fails ' +
    'closed on it instead.',
  remediation:
    'Add the type to REVIEWED_RESOURCE_TYPES in @core-infra/policies with its coverage decision (which rule families ' +
    'apply, or why none) and decide its Control Tower rules; or acknowledge the finding on the resource with a reason.',
  resourceTypes: [],
  nistControls: ['CM-8', 'CM-3'],
  profile: 'baseline',
  check: (resource) => (REVIEWED.has(resource.type) ? [] : [{ message: `${resource.type} is not on the reviewed resource-type inventory, so no rule vouches for it`, location: 'Type' }]),
};
