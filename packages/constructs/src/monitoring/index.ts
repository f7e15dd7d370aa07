export * from './alert-topic';
export * from './alert-notifier';
export * from './monthly-budget';
