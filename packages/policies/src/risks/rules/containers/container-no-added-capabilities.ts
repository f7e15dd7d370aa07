import type { RiskRule, RiskViolation } from '../../risk-rule';
import { containersOf, describeUnreadable, intrinsicName, objectsAt } from './container-definitions';

/**
 * Capabilities a container may add. NET_BIND_SERVICE only lets a non-root process bind ports below
 * 1024 and is the one addition the Kubernetes "restricted" pod security standard allows (so the
 * hardened `Drop: [ALL], Add: [NET_BIND_SERVICE]` pattern passes). SYS_PTRACE is deliberately
 * absent although Fargate permits it: it lets a process read and alter the memory of every other
 * process it can see, secrets included.
 */
export const ALLOWED_CAPABILITIES: ReadonlySet<string> = new Set(['NET_BIND_SERVICE']);

// Why the worst additions matter, for the message.
const DANGER: Readonly<Record<string, string>> = {
  ALL: 'every capability, as good as a privileged container',
  SYS_ADMIN: 'mounts, namespaces and most of root’s powers: a known container escape',
  NET_ADMIN: 'reconfigures interfaces, routes and firewall rules to sniff or redirect traffic',
  SYS_PTRACE: 'reads and alters the memory of other processes',
};

/** CORE.CONTAINER.1: containers add no Linux capabilities beyond {@link ALLOWED_CAPABILITIES}. */
export const CONTAINER_NO_ADDED_CAPABILITIES: RiskRule = {
  id: 'CORE.CONTAINER.1',
  ruleName: 'CONTAINER_NO_ADDED_CAPABILITIES',
  file: 'engine:risk/containers/container-no-added-capabilities',
  title: 'ECS containers add no Linux capabilities',
  severity: 'critical',
  description:
    'No container of an ECS task definition adds a Linux capability in LinuxParameters.Capabilities.Add, in any ' +
    'spelling (sys_admin, CAP_SYS_ADMIN), other than NET_BIND_SERVICE. Added capabilities such as SYS_ADMIN, ' +
    'NET_ADMIN, SYS_PTRACE or ALL give an attacker who compromises the application the means to break out of the ' +
    'container, read other processes’ secrets or tamper with the network. CORE’s containers need none. Batch job ' +
    'definitions have no capabilities setting; EKS is out of scope.',
  remediation:
    'Remove the capability from linuxParameters.addCapabilities(…); to bind a port below 1024 as non-root, listen on ' +
    'a high port (CORE listens on 8080) and map it at the load balancer. A value built with an intrinsic function ' +
    'must be written out as a literal list so it can be checked.',
  resourceTypes: ['AWS::ECS::TaskDefinition'],
  nistControls: ['AC-6', 'AC-6(10)', 'CM-7'],
  profile: 'baseline',
  check: (resource) => {
    const violations: RiskViolation[] = [];
    for (const container of containersOf(resource.type, resource.properties)) {
      if (!container.object) {
        violations.push(unreadable(container.location, container.unreadable));
        continue;
      }
      for (const capabilities of objectsAt(container.object, 'LinuxParameters.Capabilities', container.location)) {
        const location = capabilities.location;
        if (!capabilities.object) {
          violations.push(unreadable(location, capabilities.unreadable));
          continue;
        }
        const add = capabilities.object.Add;
        const addFn = intrinsicName(add);
        if (addFn !== undefined) {
          violations.push(unreadable(`${location}.Add`, addFn));
          continue;
        }
        (Array.isArray(add) ? add : []).forEach((capability, i) => {
          const at = `${location}.Add[${i}]`;
          if (typeof capability !== 'string') {
            violations.push(unreadable(at, describeUnreadable(capability)));
            return;
          }
          const bare = capability.toUpperCase().replace(/^CAP_/, '');
          if (ALLOWED_CAPABILITIES.has(bare)) return;
          const why = DANGER[bare] ? ` (${DANGER[bare]})` : '';
          violations.push({ message: `container ${container.name} adds Linux capability ${capability}${why}`, location: at });
        });
      }
    }
    return violations;
  },
};

function unreadable(location: string, what: string | undefined): RiskViolation {
  return { message: `${location.replace(/^Properties\./, '')} is ${what}, which cannot be evaluated, so the capabilities it adds cannot be checked`, location };
}
