import type { RiskRule, RiskViolation } from '../../risk-rule';
import { asList, isObject, renderString, type JsonObject } from '../../values';
import { cidrText, describeTraffic, isAnywhere, portNumber, protocolName } from './traffic';

/** CORE.NET.1: no security group, prefix list or network ACL admits the whole internet. */
export const NO_INGRESS_FROM_ANYWHERE: RiskRule = {
  id: 'CORE.NET.1',
  ruleName: 'NO_INGRESS_FROM_ANYWHERE',
  file: 'engine:risk/network/no-ingress-from-anywhere',
  title: 'Nothing admits traffic from the whole internet except through CloudFront’s prefix list',
  severity: 'high',
  description:
    'No security group rule (inline SecurityGroupIngress or AWS::EC2::SecurityGroupIngress) admits any protocol or ' +
    'port from a /0 CIDR in either address family (0.0.0.0/0, ::/0, ::0/0 and every other spelling), and no ' +
    'customer managed prefix list contains one, since a security group that names the list admits the same. CORE’s ' +
    'load balancer accepts only CloudFront’s origin-facing managed prefix list, so unlike CORE.EC2.1 even TCP 443 ' +
    'from anywhere fails: it would let requests bypass CloudFront and the WAF. Network ACL entries may admit from ' +
    'anywhere only what a public subnet needs, because NACLs are stateless and cannot name a prefix list: TCP 443, ' +
    'TCP return traffic on an ephemeral range ending at 65535 (1024-65535 and narrower), and the ICMP messages path ' +
    'MTU discovery needs (type 3 code 4; ICMPv6 type 2). The security groups stay the filter behind them.',
  remediation:
    'Admit the calling security group (connections.allowFrom) or CloudFront’s origin-facing prefix list ' +
    '(Peer.prefixList); remove /0 entries from prefix lists. A load balancer that must be public without CloudFront ' +
    "needs a reviewed reason: acknowledgeFinding(group, { id: 'CORE.NET.1', reason: '…' }).",
  resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::NetworkAclEntry', 'AWS::EC2::PrefixList'],
  nistControls: ['AC-4', 'CM-7', 'SC-7', 'SC-7(5)'],
  profile: 'baseline',
  check: (resource) => {
    const properties = resource.properties;
    switch (resource.type) {
      case 'AWS::EC2::SecurityGroup':
        return asList(properties.SecurityGroupIngress).flatMap((rule, i) => (isObject(rule) ? openIngress(rule, `SecurityGroupIngress[${i}]`) : []));
      case 'AWS::EC2::SecurityGroupIngress':
        return openIngress(properties, '');
      case 'AWS::EC2::NetworkAclEntry':
        return networkAclEntry(properties);
      case 'AWS::EC2::PrefixList':
        return asList(properties.Entries).flatMap((entry, i) =>
          isObject(entry) && isAnywhere(entry.Cidr)
            ? [{ message: `prefix list Entries[${i}] is ${cidrText(entry.Cidr)}: every security group that names the list admits the whole internet`, location: `Properties.Entries[${i}].Cidr` }]
            : [],
        );
      default:
        return [];
    }
  },
};

function openIngress(rule: JsonObject, path: string): RiskViolation[] {
  const where = path ? `${path} ` : 'the ingress ';
  return ['CidrIp', 'CidrIpv6']
    .filter((key) => isAnywhere(rule[key]))
    .map((key) => ({
      message: `${where}admits ${describeTraffic(rule.IpProtocol, rule.FromPort, rule.ToPort)} from ${cidrText(rule[key])}`,
      location: ['Properties', path, key].filter(Boolean).join('.'),
    }));
}

function networkAclEntry(properties: JsonObject): RiskViolation[] {
  if (renderString(properties.Egress) === 'true' || renderString(properties.RuleAction)?.toLowerCase() !== 'allow') return [];
  const key = ['CidrBlock', 'Ipv6CidrBlock'].find((k) => isAnywhere(properties[k]));
  if (key === undefined || publicSubnetNeeds(properties)) return [];
  const range = isObject(properties.PortRange) ? properties.PortRange : {};
  return [
    {
      message:
        `the network ACL entry admits ${describeTraffic(properties.Protocol, range.From, range.To)} from ${cidrText(properties[key])}; ` +
        'from anywhere only TCP 443, TCP return ports up to 65535 and path-MTU ICMP are needed',
      location: `Properties.${key}`,
    },
  ];
}

// NACLs are stateless: replies to the NAT gateway's and the tasks' outbound connections come back
// from anywhere on ephemeral ports, and dropping "fragmentation needed" breaks large responses.
function publicSubnetNeeds(properties: JsonObject): boolean {
  const protocol = protocolName(properties.Protocol);
  if (protocol === 'tcp') {
    const range = isObject(properties.PortRange) ? properties.PortRange : {};
    const from = portNumber(range.From);
    const to = portNumber(range.To);
    return (from === 443 && to === 443) || (from !== undefined && from >= 1024 && to === 65535);
  }
  const icmp = isObject(properties.Icmp) ? properties.Icmp : {};
  if (protocol === 'icmp') return portNumber(icmp.Type) === 3 && portNumber(icmp.Code) === 4;
  if (protocol === 'icmpv6') return portNumber(icmp.Type) === 2;
  return false;
}
