import type { RiskRule, RiskViolation } from '../../risk-rule';
import { type JsonObject } from '../../values';
import { containersOf, describeUnreadable, objectsAt, readFlag, TASK_PATHS } from './container-definitions';

/** Task-level settings that share a host namespace with the container when set to `host`. */
const HOST_MODES = ['NetworkMode', 'PidMode', 'IpcMode'] as const;

/** CORE.CONTAINER.2: no privileged containers and no host network, PID or IPC namespace. */
export const CONTAINER_NO_PRIVILEGE_OR_HOST_NAMESPACES: RiskRule = {
  id: 'CORE.CONTAINER.2',
  ruleName: 'CONTAINER_NO_PRIVILEGE_OR_HOST_NAMESPACES',
  file: 'engine:risk/containers/container-no-privilege-or-host-namespaces',
  title: 'Containers are not privileged and share no host namespace',
  severity: 'critical',
  description:
    'No container of an ECS task definition or Batch job definition sets Privileged true, and no task sets ' +
    'NetworkMode, PidMode or IpcMode to host. A privileged container has root over the host’s kernel and devices; ' +
    'host namespaces let it see and signal every process on the instance, read shared memory, and listen on or spoof ' +
    'the host’s network interfaces, including the instance metadata endpoint and its credentials. Any of them turns an ' +
    'application compromise into a host compromise. A value given as an intrinsic function cannot be evaluated and fails.',
  remediation:
    'Remove privileged (or set it to false) and use NetworkMode awsvpc (the Fargate default) with PidMode and IpcMode ' +
    'unset or task; grant the narrow permission the workload needs instead (an IAM permission, a task volume). Write ' +
    'these settings as literals, not Fn::If.',
  resourceTypes: ['AWS::ECS::TaskDefinition', 'AWS::Batch::JobDefinition'],
  nistControls: ['AC-6', 'AC-6(10)', 'CM-7', 'SC-39'],
  profile: 'baseline',
  check: (resource) => {
    const violations: RiskViolation[] = [];
    for (const container of containersOf(resource.type, resource.properties)) {
      if (!container.object) {
        violations.push({ message: `${container.name} is ${container.unreadable}, which cannot be evaluated: Privileged must be a literal false`, location: container.location });
        continue;
      }
      const location = `${container.location}.Privileged`;
      const privileged = readFlag(container.object.Privileged);
      if (privileged === true) violations.push({ message: `container ${container.name} is privileged (Privileged true)`, location });
      if (privileged === undefined) violations.push({ message: `Privileged of container ${container.name} is ${describeUnreadable(container.object.Privileged)}, which cannot be evaluated: it must be a literal false`, location });
    }
    for (const path of TASK_PATHS[resource.type] ?? []) {
      for (const task of objectsAt(resource.properties, path)) {
        if (!task.object) violations.push({ message: `${task.location.replace(/^Properties\./, '')} is ${task.unreadable}, so its namespace modes cannot be checked`, location: task.location });
        else violations.push(...hostModes(task.object, task.location));
      }
    }
    return violations;
  },
};

function hostModes(task: JsonObject, location: string): RiskViolation[] {
  return HOST_MODES.flatMap((mode) => {
    const value = task[mode];
    const at = `${location}.${mode}`;
    if (typeof value === 'string') return value.toLowerCase() === 'host' ? [{ message: `${mode} is host: the task shares the host’s ${mode.slice(0, -4).toLowerCase()} namespace`, location: at }] : [];
    return value === undefined ? [] : [{ message: `${mode} is ${describeUnreadable(value)}, which cannot be evaluated: it must be a literal other than host`, location: at }];
  });
}
