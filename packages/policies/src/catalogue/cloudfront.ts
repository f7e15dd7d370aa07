import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for Amazon CloudFront distributions (`rules/cloudfront/`). */
export const CLOUDFRONT_RULES: readonly RuleMetadata[] = guardRules('cloudfront', [
  {
    id: 'CORE.CLOUDFRONT.1',
    ruleName: 'CLOUDFRONT_VIEWER_TLS_MINIMUM',
    title: 'CloudFront serves viewers with its own certificate and TLSv1.2_2021 or newer',
    severity: 'high',
    description:
      'Every distribution has a ViewerCertificate that is not the CloudFront default certificate and a ' +
      'MinimumProtocolVersion of TLSv1.2_2021, TLSv1.2_2025 or TLSv1.3_2025, which allow only TLS 1.2 or later with ' +
      'forward-secret AEAD ciphers. The default *.cloudfront.net certificate forces the TLSv1 policy.',
    remediation:
      'Use the us-east-1 ACM certificate (certificate) with minimumProtocolVersion: ' +
      'SecurityPolicyProtocol.TLS_V1_2_2021.',
    resourceTypes: ['AWS::CloudFront::Distribution'],
    nistControls: ['SC-8', 'SC-8(1)', 'SC-13', 'SC-23'],
  },
  {
    id: 'CORE.CLOUDFRONT.2',
    ruleName: 'CLOUDFRONT_VIEWER_HTTPS_ONLY',
    title: 'CloudFront redirects or restricts every behaviour to HTTPS',
    severity: 'high',
    description:
      'The default cache behaviour and every additional behaviour set ViewerProtocolPolicy to redirect-to-https or ' +
      'https-only, so session cookies and form submissions never travel over plaintext HTTP between the browser and ' +
      'CloudFront.',
    remediation: 'Set viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS on every behaviour.',
    resourceTypes: ['AWS::CloudFront::Distribution'],
    nistControls: ['SC-8', 'SC-8(1)', 'SC-23'],
  },
  {
    id: 'CORE.CLOUDFRONT.3',
    ruleName: 'CLOUDFRONT_ORIGIN_HTTPS_ONLY',
    title: 'CloudFront reaches custom origins over HTTPS with TLS 1.2 only',
    severity: 'high',
    description:
      'Every custom origin (such as CORE\'s load balancer) sets OriginProtocolPolicy https-only and OriginSSLProtocols ' +
      'to exactly TLSv1.2. The origin leg crosses the internet; http-only or match-viewer would expose requests, ' +
      'cookies and the shared-secret origin header, and the CloudFormation default protocol list still includes TLS ' +
      '1.0 and 1.1.',
    remediation:
      'Create the origin with protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY and originSslProtocols: ' +
      '[OriginSslPolicy.TLS_V1_2].',
    resourceTypes: ['AWS::CloudFront::Distribution'],
    nistControls: ['SC-8', 'SC-8(1)', 'SC-13'],
  },
  {
    id: 'CORE.CLOUDFRONT.4',
    ruleName: 'CLOUDFRONT_WAF_ATTACHED',
    title: 'CloudFront distributions are protected by an AWS WAF web ACL',
    severity: 'high',
    description:
      'Every distribution sets WebACLId, so AWS managed rule groups, rate limits and the non-production geo ' +
      'restriction inspect each request before it reaches the origin.',
    remediation: 'Set webAclId to the ARN of the edge stack\'s WAFv2 web ACL (webAcl.attrArn).',
    resourceTypes: ['AWS::CloudFront::Distribution'],
    nistControls: ['SC-5', 'SC-7', 'SI-4'],
  },
  {
    id: 'CORE.CLOUDFRONT.5',
    ruleName: 'CLOUDFRONT_ACCESS_LOGGING_ENABLED',
    title: 'CloudFront distributions write standard access logs',
    severity: 'medium',
    description:
      'Every distribution sets DistributionConfig.Logging.Bucket, recording each viewer request with client IP, path, ' +
      'status and TLS details for abuse investigation and WAF tuning. Standard logging v2 (CloudWatch Logs delivery ' +
      'resources) is not recognised and needs a recorded suppression.',
    remediation: 'Set enableLogging: true with logBucket pointing at the CloudFront log bucket.',
    resourceTypes: ['AWS::CloudFront::Distribution'],
    nistControls: ['AU-2', 'AU-3', 'AU-12', 'SI-4'],
  },
]);
