export * from './postgres-database';
export * from './redis-cache';
export * from './database-url-secret';
