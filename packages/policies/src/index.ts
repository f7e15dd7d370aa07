/**
 * Policy checks for CORE infrastructure: guard rules with their metadata catalogue, a
 * fail-closed CDK validation plugin, report formatters and the destructive-change gate.
 *
 * @packageDocumentation
 */
export * from './app-context';
export * from './catalogue';
export * from './engine/control-tower';
export * from './engine/engine-checks';
export * from './engine/evaluate';
export * from './engine/finding';
export * from './engine/guard-binary';
export * from './engine/guard-output';
export * from './engine/run-guard';
export * from './plugin/core-policies-plugin';
