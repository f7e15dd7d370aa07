// `core-deploy`: deploys an environment's already-synthesized, validated cloud assembly.
// assembly-stacks reads and orders the stacks, deploy-target resolves the environment's stage,
// account and state store from its config, validation-evidence checks the policy proof, deploy
// plans and executes (lock → assume the infrastructure deployment role → cdk → archive →
// release), and cli is the command line.
export * from './affected';
export * from './archive';
export * from './assembly-stacks';
export * from './cdk-cli';
export * from './cli';
export * from './deploy';
export * from './deploy-credentials';
export * from './deploy-target';
export * from './deployment-lock';
export * from './errors';
export * from './plan';
export * from './validation-evidence';
