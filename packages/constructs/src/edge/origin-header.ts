/**
 * Name of the header CloudFront adds to every origin request, carrying a secret value that
 * the load balancer's listener rules require. Requests that reach the load balancer without
 * it (that is, not through CloudFront) get the listener's fixed 403.
 */
export const ORIGIN_VERIFY_HEADER_NAME = 'X-CLOUDFRONT-HEADER';
