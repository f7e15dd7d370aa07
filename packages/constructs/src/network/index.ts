export * from './core-network';
export { CORE_INTERFACE_ENDPOINT_SERVICES } from './vpc-endpoints';
