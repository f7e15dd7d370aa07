import type { RiskRule } from '../../risk-rule';
import { RESOURCE_TYPE_REVIEWED } from './resource-type-reviewed';

export { RESOURCE_TYPE_REVIEWED };
export * from './reviewed-resource-types';

/** Risk family 7: unreviewed resource types fail closed. */
export const INVENTORY_RISK_RULES: readonly RiskRule[] = [RESOURCE_TYPE_REVIEWED];
