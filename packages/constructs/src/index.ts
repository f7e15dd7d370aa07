/**
 * L3 AWS CDK constructs for CORE, grouped by tier. Every construct is secure by default:
 * encryption with customer-managed keys, TLS only, least-privilege grants, and stateful
 * resources retained or snapshotted unless the caller opts into destruction.
 *
 * @packageDocumentation
 */
export * from './shared';
export * from './security';
export * from './network';
export * from './storage';
export * from './data';
export * from './app';
export * from './edge';
export * from './monitoring';
export * from './registry';
export * from './delivery';
