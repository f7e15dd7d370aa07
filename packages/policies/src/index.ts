/**
 * Policy checks for CORE infrastructure: guard rules with their metadata catalogue, a
 * fail-closed CDK validation plugin, report formatters and the destructive-change gate.
 *
 * @packageDocumentation
 */
export * from './app-context';
export * from './catalogue/types';
