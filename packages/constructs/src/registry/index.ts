export * from './container-repository';
export * from './container-registry';
