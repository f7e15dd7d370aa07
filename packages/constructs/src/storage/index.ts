export type { BaseBucketProps, ResolvedBucketLifecycle } from './bucket-defaults';
export * from './access-log-bucket';
export * from './secure-bucket';
