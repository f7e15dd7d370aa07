export * from './deployment-lock';
export * from './deployment-state-names';
export * from './deployment-state-store';
export * from './deployment-state-replica';
export * from './github-actions-role';
export * from './github-actions-access';
export type { WorkloadDeploymentRoleProps } from './workload-deployment-role-props';
export * from './infrastructure-deployment-role';
export * from './application-deployment-role';
