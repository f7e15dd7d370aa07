export * from './core-network';
