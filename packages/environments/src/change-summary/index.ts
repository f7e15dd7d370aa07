// Pull-request change summaries (`core-deploy diff` and `core-deploy comment`): each stack of an
// environment compared with its committed baseline by CDK's diff engine (stack-changes,
// access-changes), the destructive-change gate's and the policy verdicts (gate-verdict,
// policy-verdict), gathered by summarize-environment, rendered as size-limited Markdown
// (render-*) and combined into one sticky comment (combine).
export * from './access-changes';
export * from './combine';
export * from './commands';
export * from './deployed-diff';
export * from './gate-verdict';
export * from './markdown';
export * from './policy-verdict';
export * from './render-environment';
export * from './render-stacks';
export * from './render-verdicts';
export * from './stack-changes';
export * from './summarize-environment';
export * from './summary-files';
export * from './types';
