// `core-deploy bootstrap`: CDK's bootstrap template hardened for CORE (harden-template, committed
// as bootstrap/bootstrap-template.json), policies generated from an environment's stacks
// (service-actions, bootstrap-policies), the plan and its run, and the command.
export * from './bootstrap-command';
export * from './bootstrap-plan';
export * from './bootstrap-policies';
export * from './bootstrap-run';
export * from './bootstrap-template';
export * from './default-template';
export * from './errors';
export * from './harden-template';
export * from './service-actions';
export * from './stack-requirements';
