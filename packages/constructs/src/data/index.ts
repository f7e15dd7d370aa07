export * from './postgres-database';
export * from './redis-cache';
