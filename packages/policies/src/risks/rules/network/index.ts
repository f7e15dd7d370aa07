import type { RiskRule } from '../../risk-rule';
import { NO_ALL_TRAFFIC_EGRESS_TO_ANYWHERE } from './no-all-traffic-egress-to-anywhere';
import { NO_INGRESS_FROM_ANYWHERE } from './no-ingress-from-anywhere';
import { ORIGIN_ONLY_THROUGH_CLOUDFRONT } from './origin-only-through-cloudfront';

export { NO_ALL_TRAFFIC_EGRESS_TO_ANYWHERE, NO_INGRESS_FROM_ANYWHERE, ORIGIN_ONLY_THROUGH_CLOUDFRONT };

/**
 * Risk family 5: network reachability in both address families, and the load balancer as an
 * origin that only CloudFront can use.
 */
export const NETWORK_RISK_RULES: readonly RiskRule[] = [NO_INGRESS_FROM_ANYWHERE, NO_ALL_TRAFFIC_EGRESS_TO_ANYWHERE, ORIGIN_ONLY_THROUGH_CLOUDFRONT];
