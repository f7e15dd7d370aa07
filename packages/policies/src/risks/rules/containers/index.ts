import type { RiskRule } from '../../risk-rule';
import { CONTAINER_NO_ADDED_CAPABILITIES } from './container-no-added-capabilities';
import { CONTAINER_NO_PRIVILEGE_OR_HOST_NAMESPACES } from './container-no-privilege-or-host-namespaces';
import { CONTAINER_READONLY_ROOT_FILESYSTEM } from './container-readonly-root-filesystem';
import { ECS_CLUSTER_CONTAINER_INSIGHTS } from './ecs-cluster-container-insights';

export { CONTAINER_NO_ADDED_CAPABILITIES, CONTAINER_NO_PRIVILEGE_OR_HOST_NAMESPACES, CONTAINER_READONLY_ROOT_FILESYSTEM, ECS_CLUSTER_CONTAINER_INSIGHTS };
export { ALLOWED_CAPABILITIES } from './container-no-added-capabilities';

/** Risk family 4: containers (capabilities, privilege and host namespaces, read-only roots, Container Insights). */
export const CONTAINER_RISK_RULES: readonly RiskRule[] = [
  CONTAINER_NO_ADDED_CAPABILITIES,
  CONTAINER_NO_PRIVILEGE_OR_HOST_NAMESPACES,
  CONTAINER_READONLY_ROOT_FILESYSTEM,
  ECS_CLUSTER_CONTAINER_INSIGHTS,
];
