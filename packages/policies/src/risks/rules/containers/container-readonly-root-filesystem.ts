import type { RiskRule, RiskViolation } from '../../risk-rule';
import { containersOf, describeUnreadable, readFlag } from './container-definitions';

/** CORE.CONTAINER.3: in production every ECS container has a read-only root filesystem. */
export const CONTAINER_READONLY_ROOT_FILESYSTEM: RiskRule = {
  id: 'CORE.CONTAINER.3',
  ruleName: 'CONTAINER_READONLY_ROOT_FILESYSTEM',
  file: 'engine:risk/containers/container-readonly-root-filesystem',
  title: 'Production ECS containers have a read-only root filesystem',
  severity: 'high',
  description:
    'Every container of an ECS task definition sets ReadonlyRootFilesystem true (absent means false). With a writable ' +
    'root an attacker who gets code execution can drop tools, replace application files or plant a backdoor that ' +
    'survives until the task is replaced; a read-only root confines writes to the volumes the task declares. Checked ' +
    'in the production profile; a value given as an intrinsic function cannot be evaluated and fails.',
  remediation:
    'Set readonlyRootFilesystem: true on every container, and give each directory the application writes (tmp/, ' +
    'log/, tmp/pids, a cache) a task volume mounted at that path: taskDefinition.addVolume({ name }) and ' +
    'container.addMountPoints({ sourceVolume: name, containerPath, readOnly: false }).',
  resourceTypes: ['AWS::ECS::TaskDefinition'],
  nistControls: ['CM-7', 'SI-7', 'SC-39'],
  profile: 'production',
  check: (resource) => {
    const violations: RiskViolation[] = [];
    for (const container of containersOf(resource.type, resource.properties)) {
      if (!container.object) {
        violations.push({ message: `${container.name} is ${container.unreadable}, which cannot be evaluated: ReadonlyRootFilesystem must be a literal true`, location: container.location });
        continue;
      }
      const location = `${container.location}.ReadonlyRootFilesystem`;
      const value = container.object.ReadonlyRootFilesystem;
      const readonly = readFlag(value);
      if (readonly === false) {
        const state = value === undefined || value === null ? 'is not set' : 'is false';
        violations.push({ message: `container ${container.name} has a writable root filesystem: ReadonlyRootFilesystem ${state}`, location });
      } else if (readonly === undefined) {
        violations.push({ message: `ReadonlyRootFilesystem of container ${container.name} is ${describeUnreadable(value)}, which cannot be evaluated: it must be a literal true`, location });
      }
    }
    return violations;
  },
};
