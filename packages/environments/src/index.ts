/**
 * CORE's environments as validated data plus composition: the zod config schema with its
 * defaults and production-profile checks, the loader of each app's committed `config.yaml`, and
 * the stages and stacks built from them.
 *
 * @packageDocumentation
 */
export * from './app';
export * from './config/environment-set';
export * from './config/fields';
export * from './config/json-schema';
export * from './config/load';
export * from './config/schema';
export * from './config/trusted-accounts';
export * from './configs/accounts';
export * from './naming';
export * from './wiring/app-secrets';
export * from './stacks/app-stack';
export * from './stacks/data-stack';
export * from './stacks/deployment-access-stack';
export * from './stacks/edge-stack';
export * from './stages/meta-stage';
export * from './stacks/monitoring-stack';
export * from './stacks/network-stack';
export * from './wiring/redis-config-secret';
export * from './wiring/redis-props';
export * from './stages/dev-stages';
export * from './stages/environment-stage';
export * from './stages/permissions-boundary';
export * from './stages/shared-parameters';
export * from './stages/workload-stacks';
export * from './wiring/allow-client';
export * from './deploy';
export * from './change-summary';
export * from './adopt';
export * from './bootstrap';
export * from './first-deploy';
