export * from './clock-time';
export * from './errors';
export * from './notifying-alarm';
export * from './removal';
