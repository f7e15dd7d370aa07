/**
 * Policy checks for CORE infrastructure: guard rules with their metadata catalogue, a
 * fail-closed CDK validation plugin, report formats (text, JSON, SARIF, JUnit), the
 * `core-policies` CLI and the destructive-change gate.
 *
 * @packageDocumentation
 */
export * from './app-context';
export * from './catalogue';
export * from './cli/main';
export * from './cli/runner';
export * from './engine/acknowledgements';
export * from './engine/assembly';
export * from './engine/closest-match';
export * from './engine/control-tower';
export * from './engine/core-rules';
export * from './engine/coverage';
export * from './engine/engine-checks';
export * from './engine/evaluate';
export * from './engine/finding';
export * from './engine/guard-binary';
export * from './engine/guard-output';
export * from './engine/guard-plan';
export * from './engine/merge-rules';
export * from './engine/result-cache';
export * from './engine/run-guard';
export * from './engine/template-loader';
export * from './gate';
export * from './plugin/acknowledge-finding';
export * from './plugin/core-policies-plugin';
export * from './report/check';
export * from './report/format';
export * from './report/format-junit';
export * from './report/format-sarif';
export * from './report/format-text';
export * from './report/policy-report';
export * from './report/source-locations';
export * from './risks';
