// `core-deploy first-deploy`: the ordered first deployment of empty accounts (the plan, a pure
// function of the configs; its text and JSON renderings; the command).
export * from './command';
export * from './first-deploy-plan';
export * from './render';
