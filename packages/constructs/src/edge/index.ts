export * from './cloudfront-only-load-balancer';
export * from './edge-distribution';
export * from './edge-web-acl';
export * from './externally-validated-certificate';
export * from './origin-header';
