import type { RiskRule, RiskViolation } from '../../risk-rule';
import { isObject } from '../../values';
import { describeUnreadable, intrinsicName } from './container-definitions';

/** Container Insights values that turn it on (`enhanced` adds task- and container-level metrics). */
const ENABLED = new Set(['enabled', 'enhanced']);

/** CORE.CONTAINER.4: every ECS cluster has Container Insights on. */
export const ECS_CLUSTER_CONTAINER_INSIGHTS: RiskRule = {
  id: 'CORE.CONTAINER.4',
  ruleName: 'ECS_CLUSTER_CONTAINER_INSIGHTS',
  file: 'engine:risk/containers/ecs-cluster-container-insights',
  title: 'ECS clusters have Container Insights enabled',
  severity: 'medium',
  description:
    'Every ECS cluster sets ClusterSettings containerInsights to enabled or enhanced. Container Insights records CPU, ' +
    'memory, network and restart metrics per service and task; without them a task crash-looping, a container ' +
    'exhausting memory or unusual resource use after a compromise goes unseen, and alarms have nothing to watch. The ' +
    'account-level default is not visible in the template, so the cluster must say it.',
  remediation: "Set containerInsightsV2: ecs.ContainerInsights.ENABLED (or ENHANCED) on the cluster, i.e. ClusterSettings [{ Name: 'containerInsights', Value: 'enabled' }].",
  resourceTypes: ['AWS::ECS::Cluster'],
  nistControls: ['AU-12', 'CA-7', 'SI-4'],
  profile: 'baseline',
  check: (resource) => {
    const settings = resource.properties.ClusterSettings;
    const listFn = intrinsicName(settings);
    if (listFn) return [{ message: `ClusterSettings is ${listFn}, which cannot be evaluated: containerInsights must be set literally`, location: 'Properties.ClusterSettings' }];
    const list = Array.isArray(settings) ? settings : [];
    const index = list.findIndex((setting) => isObject(setting) && setting.Name === 'containerInsights');
    if (index < 0) return [{ message: 'ClusterSettings has no containerInsights setting, so Container Insights is off', location: 'Properties.ClusterSettings' }];
    const value: unknown = (list[index] as Record<string, unknown>).Value;
    const location = `Properties.ClusterSettings[${index}].Value`;
    const violations: RiskViolation[] = [];
    if (typeof value === 'string') {
      if (!ENABLED.has(value.toLowerCase())) violations.push({ message: `containerInsights is ${value}: it must be enabled or enhanced`, location });
    } else {
      violations.push({ message: `containerInsights is ${describeUnreadable(value)}, which cannot be evaluated: it must be enabled or enhanced`, location });
    }
    return violations;
  },
};
