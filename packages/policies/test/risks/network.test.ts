import { NETWORK_RISK_RULES, NO_ALL_TRAFFIC_EGRESS_TO_ANYWHERE, NO_INGRESS_FROM_ANYWHERE, ORIGIN_ONLY_THROUGH_CLOUDFRONT, type RiskContext, type RiskResource } from '../../src';
import { FAILING_RESOURCES } from './fixtures/network';

const BASELINE: RiskContext = { profile: 'baseline', trustedAccounts: new Set() };
const PRODUCTION: RiskContext = { profile: 'production', trustedAccounts: new Set() };

function resource(type: string, properties: Record<string, unknown>): RiskResource {
  return { logicalId: 'Subject', type, properties, entry: { Type: type, Properties: properties } };
}

const tcp = (port: number) => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port });
const CLOUDFRONT_PREFIX_LIST = 'pl-93a247fa';
const FIXED_403 = { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '403', ContentType: 'text/plain', MessageBody: '403: Forbidden' } };
const ORIGIN_HEADER = { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-CLOUDFRONT-HEADER', Values: ['{{resolve:secretsmanager:core-prod/origin-header:SecretString:::}}'] } };
const FORWARD = { Type: 'forward', TargetGroupArn: { Ref: 'TargetGroup' } };

describe('CORE.NET.1 no ingress from anywhere', () => {
  const check = (r: RiskResource) => NO_INGRESS_FROM_ANYWHERE.check(r, BASELINE);

  test.each([
    ['an inline rule opening SSH to 0.0.0.0/0', 'AWS::EC2::SecurityGroup', { GroupDescription: 'app', SecurityGroupIngress: [{ ...tcp(22), CidrIp: '0.0.0.0/0' }] }, 'SecurityGroupIngress[0] admits tcp 22 from 0.0.0.0/0', 'Properties.SecurityGroupIngress[0].CidrIp'],
    ['a load balancer group opening 443 to ::0/0', 'AWS::EC2::SecurityGroup', { GroupDescription: 'load balancer', SecurityGroupIngress: [{ ...tcp(443), SourcePrefixListId: CLOUDFRONT_PREFIX_LIST }, { ...tcp(443), CidrIpv6: '::0/0' }] }, 'SecurityGroupIngress[1] admits tcp 443 from ::0/0', 'Properties.SecurityGroupIngress[1].CidrIpv6'],
    ['a standalone ingress of all traffic from ::/0', 'AWS::EC2::SecurityGroupIngress', { GroupId: 'sg-1', IpProtocol: '-1', CidrIpv6: '::/0' }, 'the ingress admits all traffic from ::/0', 'Properties.CidrIpv6'],
    ['a standalone ingress from a /0 with a non-zero address', 'AWS::EC2::SecurityGroupIngress', { GroupId: 'sg-1', ...tcp(5432), CidrIp: '10.0.0.0/0' }, 'the ingress admits tcp 5432 from 10.0.0.0/0', 'Properties.CidrIp'],
    ['a network ACL entry admitting SSH from 0.0.0.0/0', 'AWS::EC2::NetworkAclEntry', { NetworkAclId: 'acl-1', RuleNumber: 100, RuleAction: 'allow', Egress: false, Protocol: 6, PortRange: { From: 22, To: 22 }, CidrBlock: '0.0.0.0/0' }, 'the network ACL entry admits tcp 22 from 0.0.0.0/0; from anywhere only TCP 443, TCP return ports up to 65535 and path-MTU ICMP are needed', 'Properties.CidrBlock'],
    ['a network ACL entry admitting every protocol from ::/0', 'AWS::EC2::NetworkAclEntry', { NetworkAclId: 'acl-1', RuleNumber: 101, RuleAction: 'allow', Protocol: -1, Ipv6CidrBlock: '::/0' }, 'the network ACL entry admits all traffic from ::/0; from anywhere only TCP 443, TCP return ports up to 65535 and path-MTU ICMP are needed', 'Properties.Ipv6CidrBlock'],
    ['a managed prefix list holding 0.0.0.0/0', 'AWS::EC2::PrefixList', { PrefixListName: 'partners', AddressFamily: 'IPv4', MaxEntries: 2, Entries: [{ Cidr: '192.0.2.0/24' }, { Cidr: '0.0.0.0/0' }] }, 'prefix list Entries[1] is 0.0.0.0/0: every security group that names the list admits the whole internet', 'Properties.Entries[1].Cidr'],
  ])('FAIL: GIVEN %s WHEN checked THEN it is reported', (_label, type, properties, message, location) => {
    expect(check(resource(type, properties))).toEqual([{ message, location }]);
  });

  test('FAIL: GIVEN one rule open in both families WHEN checked THEN each family is reported', () => {
    const group = resource('AWS::EC2::SecurityGroup', { GroupDescription: 'app', SecurityGroupIngress: [{ ...tcp(80), CidrIp: '0.0.0.0/0', CidrIpv6: '0:0:0:0:0:0:0:0/0' }] });
    expect(check(group).map((v) => v.location)).toEqual(['Properties.SecurityGroupIngress[0].CidrIp', 'Properties.SecurityGroupIngress[0].CidrIpv6']);
  });

  test.each([
    ['CORE’s load balancer: HTTPS from CloudFront’s managed prefix list only', 'AWS::EC2::SecurityGroupIngress', { GroupId: { 'Fn::GetAtt': ['FrontDoor', 'GroupId'] }, ...tcp(443), SourcePrefixListId: CLOUDFRONT_PREFIX_LIST }],
    ['CORE’s endpoint group: HTTPS from the VPC only', 'AWS::EC2::SecurityGroup', { GroupDescription: 'endpoints', SecurityGroupIngress: [{ ...tcp(443), CidrIp: '10.0.0.0/16' }, { ...tcp(443), CidrIp: { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] } }] }],
    ['a public subnet ACL admitting HTTPS', 'AWS::EC2::NetworkAclEntry', { RuleAction: 'allow', Protocol: 6, PortRange: { From: 443, To: 443 }, CidrBlock: '0.0.0.0/0' }],
    ['a public subnet ACL admitting TCP return traffic on ephemeral ports', 'AWS::EC2::NetworkAclEntry', { RuleAction: 'allow', Protocol: '6', PortRange: { From: 1024, To: 65535 }, Ipv6CidrBlock: '::/0' }],
    ['a public subnet ACL admitting ICMP fragmentation-needed', 'AWS::EC2::NetworkAclEntry', { RuleAction: 'allow', Protocol: 1, Icmp: { Type: 3, Code: 4 }, CidrBlock: '0.0.0.0/0' }],
    ['an ACL entry denying everything from anywhere', 'AWS::EC2::NetworkAclEntry', { RuleAction: 'deny', Protocol: -1, CidrBlock: '0.0.0.0/0' }],
    ['an egress ACL entry to anywhere', 'AWS::EC2::NetworkAclEntry', { RuleAction: 'allow', Egress: true, Protocol: -1, CidrBlock: '0.0.0.0/0' }],
    ['a prefix list of private ranges', 'AWS::EC2::PrefixList', { AddressFamily: 'IPv4', MaxEntries: 1, Entries: [{ Cidr: '10.0.0.0/8' }] }],
  ])('PASS: GIVEN %s WHEN checked THEN nothing is reported', (_label, type, properties) => {
    expect(check(resource(type, properties))).toEqual([]);
  });

  test('FAIL: GIVEN an ACL entry for a single port above 1024 WHEN checked THEN it is not taken for return traffic', () => {
    const rdp = resource('AWS::EC2::NetworkAclEntry', { RuleAction: 'allow', Protocol: 6, PortRange: { From: 3389, To: 3389 }, CidrBlock: '0.0.0.0/0' });
    expect(check(rdp)).toEqual([expect.objectContaining({ message: expect.stringContaining('admits tcp 3389 from 0.0.0.0/0'), location: 'Properties.CidrBlock' })]);
  });

  test('SKIP: GIVEN a security group with no ingress WHEN checked THEN nothing is reported', () => {
    expect(check(resource('AWS::EC2::SecurityGroup', { GroupDescription: 'database', SecurityGroupEgress: [{ IpProtocol: 'icmp', FromPort: 252, ToPort: 86, CidrIp: '255.255.255.255/32' }] }))).toEqual([]);
  });
});

describe('CORE.NET.2 no all-traffic egress to anywhere', () => {
  const check = (r: RiskResource) => NO_ALL_TRAFFIC_EGRESS_TO_ANYWHERE.check(r, BASELINE);

  test.each([
    ['CDK’s allowAllOutbound rule', 'AWS::EC2::SecurityGroup', { GroupDescription: 'app', SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', Description: 'Allow all outbound traffic by default', IpProtocol: '-1' }] }, 'SecurityGroupEgress[0] allows all traffic out to 0.0.0.0/0', 'Properties.SecurityGroupEgress[0].CidrIp'],
    ['IPv6 wide open beside a restricted IPv4 rule', 'AWS::EC2::SecurityGroup', { GroupDescription: 'app', SecurityGroupEgress: [{ ...tcp(443), CidrIp: '0.0.0.0/0' }, { IpProtocol: -1, CidrIpv6: '::/0' }] }, 'SecurityGroupEgress[1] allows all traffic out to ::/0', 'Properties.SecurityGroupEgress[1].CidrIpv6'],
    ['a standalone egress of every TCP port to ::0/0', 'AWS::EC2::SecurityGroupEgress', { GroupId: 'sg-1', IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, CidrIpv6: '::0/0' }, 'the egress allows tcp 0-65535 out to ::0/0', 'Properties.CidrIpv6'],
    ['a standalone egress of UDP without port bounds to 0.0.0.0/0', 'AWS::EC2::SecurityGroupEgress', { GroupId: 'sg-1', IpProtocol: '17', CidrIp: '0.0.0.0/0' }, 'the egress allows udp on every port out to 0.0.0.0/0', 'Properties.CidrIp'],
  ])('FAIL: GIVEN %s WHEN checked THEN it is reported', (_label, type, properties, message, location) => {
    expect(check(resource(type, properties))).toEqual([{ message, location }]);
  });

  test.each([
    ['CORE’s application group: HTTPS and HTTP out in IPv4, the data stores by group', 'AWS::EC2::SecurityGroup', { GroupDescription: 'app', SecurityGroupEgress: [{ ...tcp(443), CidrIp: '0.0.0.0/0' }, { ...tcp(80), CidrIp: '0.0.0.0/0' }, { ...tcp(5432), DestinationSecurityGroupId: 'sg-db' }] }],
    ['HTTPS out in both families', 'AWS::EC2::SecurityGroup', { GroupDescription: 'app', SecurityGroupEgress: [{ ...tcp(443), CidrIp: '0.0.0.0/0' }, { ...tcp(443), CidrIpv6: '::/0' }] }],
    ['all traffic to the VPC only', 'AWS::EC2::SecurityGroupEgress', { GroupId: 'sg-1', IpProtocol: '-1', CidrIp: '10.0.0.0/16' }],
    ['the load balancer to its targets', 'AWS::EC2::SecurityGroupEgress', { GroupId: 'sg-1', ...tcp(8080), DestinationSecurityGroupId: 'sg-app' }],
  ])('PASS: GIVEN %s WHEN checked THEN nothing is reported', (_label, type, properties) => {
    expect(check(resource(type, properties))).toEqual([]);
  });

  test('SKIP: GIVEN CDK’s “disallow all traffic” placeholder WHEN checked THEN nothing is reported', () => {
    expect(check(resource('AWS::EC2::SecurityGroup', { GroupDescription: 'db', SecurityGroupEgress: [{ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', FromPort: 252, IpProtocol: 'icmp', ToPort: 86 }] }))).toEqual([]);
  });
});

describe('CORE.NET.3 the origin forwards only through CloudFront', () => {
  const check = (r: RiskResource) => ORIGIN_ONLY_THROUGH_CLOUDFRONT.check(r, BASELINE);
  const listener = (properties: Record<string, unknown>) => resource('AWS::ElasticLoadBalancingV2::Listener', { LoadBalancerArn: { Ref: 'Lb' }, ...properties });
  const rule = (properties: Record<string, unknown>) => resource('AWS::ElasticLoadBalancingV2::ListenerRule', { ListenerArn: { Ref: 'Https' }, Priority: 1, ...properties });

  test.each([
    ['an HTTPS listener forwarding by default', listener({ Protocol: 'HTTPS', Port: 443, DefaultActions: [FORWARD] }), 'the HTTPS listener’s DefaultActions[0] is forward: requests without CloudFront’s origin header would reach a target', 'Properties.DefaultActions[0].Type'],
    ['an HTTPS listener authenticating by default', listener({ Protocol: 'HTTPS', Port: 443, DefaultActions: [{ Type: 'authenticate-oidc', Order: 1 }, FIXED_403] }), 'the HTTPS listener’s DefaultActions[0] is authenticate-oidc: requests without CloudFront’s origin header would reach a target', 'Properties.DefaultActions[0].Type'],
    ['an HTTPS listener on 8443', listener({ Protocol: 'HTTPS', Port: 8443, DefaultActions: [FIXED_403] }), 'the listener is HTTPS on port 8443; the origin listens only on HTTPS 443 (and HTTP redirecting to it)', 'Properties.Port'],
    ['an HTTP listener forwarding', listener({ Protocol: 'HTTP', Port: 80, DefaultActions: [FORWARD] }), 'the HTTP listener’s DefaultActions[0] is forward, not a redirect to HTTPS', 'Properties.DefaultActions[0].Type'],
    ['an HTTP listener redirecting to HTTP', listener({ Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTP', StatusCode: 'HTTP_301' } }] }), 'the HTTP listener’s DefaultActions[0] is a redirect to HTTP, not a redirect to HTTPS', 'Properties.DefaultActions[0].RedirectConfig.Protocol'],
    ['a rule forwarding on a path alone', rule({ Actions: [FORWARD], Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }] }), 'the rule forwards without an http-header condition on CloudFront’s origin header', 'Properties.Conditions'],
    ['a rule forwarding on a header any request can send', rule({ Actions: [FORWARD], Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-CLOUDFRONT-HEADER', Values: ['*'] } }] }), 'Conditions[0] accepts header value "*", which any request can send', 'Properties.Conditions[0].HttpHeaderConfig.Values[0]'],
  ])('FAIL: GIVEN %s WHEN checked THEN it is reported', (_label, subject, message, location) => {
    expect(check(subject)).toEqual([{ message, location }]);
  });

  test.each([
    ['CORE’s HTTPS listener: 443 with a fixed 403 default', listener({ Protocol: 'HTTPS', Port: 443, SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', DefaultActions: [FIXED_403] })],
    ['an HTTP listener that only redirects to HTTPS', listener({ Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }] })],
    ['CORE’s listener rule: forward on the secret origin header', rule({ Actions: [FORWARD], Conditions: [ORIGIN_HEADER] })],
    ['a review app’s rule: the origin header and a path', rule({ Actions: [FORWARD], Conditions: [ORIGIN_HEADER, { Field: 'path-pattern', PathPatternConfig: { Values: ['/1234', '/1234/*'] } }] })],
    ['a rule that only answers with a fixed response', rule({ Actions: [FIXED_403], Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/admin*'] } }] })],
  ])('PASS: GIVEN %s WHEN checked THEN nothing is reported', (_label, subject) => {
    expect(check(subject)).toEqual([]);
  });

  test.each([
    ['a Network Load Balancer TCP listener', listener({ Protocol: 'TCP', Port: 5432, DefaultActions: [FORWARD] })],
    ['a Gateway Load Balancer listener (no protocol)', listener({ DefaultActions: [FORWARD] })],
  ])('SKIP: GIVEN %s WHEN checked THEN it is left to CORE.NET.1', (_label, subject) => {
    expect(check(subject)).toEqual([]);
  });
});

describe('network family', () => {
  test('GIVEN the failing fixtures WHEN checked in either profile THEN each fails its own rule', () => {
    for (const rule of NETWORK_RISK_RULES) {
      const fixture = FAILING_RESOURCES[rule.id];
      const subject = resource(fixture.Type, fixture.Properties);
      expect(rule.profile).toBe('baseline');
      expect(rule.resourceTypes).toContain(fixture.Type);
      expect(rule.check(subject, BASELINE)).not.toEqual([]);
      expect(rule.check(subject, PRODUCTION)).not.toEqual([]);
    }
  });
});
