export * from './postgres-database';
export * from './postgres-database-props';
export * from './redis-cache';
export * from './database-url-secret';
