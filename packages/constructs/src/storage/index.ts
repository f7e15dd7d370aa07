export { type BaseBucketProps, BUCKET_ROLE_TAG, type ResolvedBucketLifecycle } from './bucket-defaults';
export * from './access-log-bucket';
export * from './secure-bucket';
export * from './bulk-upload-bucket';
export * from './cds-export-bucket';
export * from './collection-resources-bucket';
