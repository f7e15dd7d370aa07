import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for Elastic Load Balancing v2 load balancers and listeners (`rules/elb/`). */
export const ELB_RULES: readonly RuleMetadata[] = guardRules('elb', [
  {
    id: 'CORE.ELB.1',
    ruleName: 'ELB_LISTENER_TLS_POLICY',
    title: 'Load balancer TLS listeners use an allow-listed TLS 1.2/1.3 policy',
    severity: 'high',
    description:
      'Every HTTPS or TLS listener names a security policy from CORE\'s allow-list (ELBSecurityPolicy-TLS13-1-2-2021-06, ' +
      '-TLS13-1-2-Res-2021-06, -TLS13-1-3-2021-06 and their FIPS-2023-04 and PQ-2025-09 variants), all limited to TLS ' +
      '1.2/1.3 with forward-secret AEAD ciphers. Without SslPolicy a listener gets ELBSecurityPolicy-2016-08, which ' +
      'still accepts TLS 1.0 and CBC ciphers; the Ext policies are excluded because they re-enable CBC.',
    remediation: 'Set sslPolicy: SslPolicy.RECOMMENDED_TLS (ELBSecurityPolicy-TLS13-1-2-2021-06).',
    resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener'],
    nistControls: ['SC-8', 'SC-8(1)', 'SC-13', 'SC-23'],
  },
  {
    id: 'CORE.ELB.2',
    ruleName: 'ELB_HTTP_LISTENER_REDIRECTS_ONLY',
    title: 'Plain HTTP listeners only redirect to HTTPS',
    severity: 'high',
    description:
      'A load balancer listener on plain HTTP may only redirect to HTTPS: every default action is a redirect with ' +
      'protocol HTTPS. Forwarding or fixed responses over HTTP expose requests and session cookies. CORE\'s load ' +
      'balancer has no HTTP listener, since CloudFront redirects viewers before they reach it.',
    remediation: 'Remove the HTTP listener, or make its only default action ListenerAction.redirect({ protocol: \'HTTPS\' }).',
    resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener'],
    nistControls: ['SC-8', 'SC-8(1)', 'SC-23'],
  },
  {
    id: 'CORE.ELB.3',
    ruleName: 'ELB_DROP_INVALID_HEADER_FIELDS',
    title: 'Application Load Balancers drop invalid HTTP headers',
    severity: 'medium',
    description:
      'Every Application Load Balancer sets routing.http.drop_invalid_header_fields.enabled to true, removing headers ' +
      'with invalid names before requests reach the Rails app and closing a request smuggling and header injection ' +
      'route. The attribute is off by default.',
    remediation: 'Set dropInvalidHeaderFields: true on the load balancer.',
    resourceTypes: ['AWS::ElasticLoadBalancingV2::LoadBalancer'],
    nistControls: ['SC-7', 'SI-10'],
  },
  {
    id: 'CORE.ELB.4',
    ruleName: 'ELB_DELETION_PROTECTION_ENABLED',
    title: 'Load balancers have deletion protection',
    severity: 'medium',
    description:
      'Every load balancer sets deletion_protection.enabled to true. Its DNS name is CloudFront\'s origin and the ' +
      'target of DNS records; deleting it by mistake takes the service offline until a new one is created and every ' +
      'reference is updated.',
    remediation: 'Set deletionProtection: true on the load balancer.',
    resourceTypes: ['AWS::ElasticLoadBalancingV2::LoadBalancer'],
    nistControls: ['CM-3', 'CP-10', 'SC-5'],
  },
  {
    id: 'CORE.ELB.5',
    ruleName: 'ELB_ACCESS_LOGS_ENABLED',
    title: 'Load balancers write access logs to S3',
    severity: 'medium',
    description:
      'Every Application and Network Load Balancer sets access_logs.s3.enabled to true with an access_logs.s3.bucket, ' +
      'recording client address, request, TLS protocol and target response for each request: the evidence needed to ' +
      'investigate abuse that reached the origin.',
    remediation: 'Call loadBalancer.logAccessLogs(accessLogBucket, prefix).',
    resourceTypes: ['AWS::ElasticLoadBalancingV2::LoadBalancer'],
    nistControls: ['AU-2', 'AU-3', 'AU-12', 'SI-4'],
  },
]);
