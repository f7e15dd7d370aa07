import type { RiskRule, RiskViolation } from '../../risk-rule';
import { asList, isObject, type JsonObject } from '../../values';
import { cidrText, describeTraffic, isAllTraffic, isAnywhere } from './traffic';

/** CORE.NET.2: no security group sends every kind of traffic to the whole internet, in IPv4 or IPv6. */
export const NO_ALL_TRAFFIC_EGRESS_TO_ANYWHERE: RiskRule = {
  id: 'CORE.NET.2',
  ruleName: 'NO_ALL_TRAFFIC_EGRESS_TO_ANYWHERE',
  file: 'engine:risk/network/no-all-traffic-egress-to-anywhere',
  title: 'Security groups never allow all traffic out to the internet, in IPv4 or IPv6',
  severity: 'high',
  description:
    'No security group egress rule (inline SecurityGroupEgress or AWS::EC2::SecurityGroupEgress) sends all traffic ' +
    '(IpProtocol -1, or TCP or UDP on every port) to a /0 CIDR in either address family. CDK writes exactly such a ' +
    'rule for allowAllOutbound (0.0.0.0/0) and allowAllIpv6Outbound (::/0); restricting one family while the other ' +
    'stays open is the same hole, since a compromised task can reach any host and port over the open family. CORE’s ' +
    'tasks need only HTTPS and HTTP out to AWS APIs and third-party services, and its other groups send nothing, so ' +
    'each group names the ports it uses in both families.',
  remediation:
    'Set allowAllOutbound: false (and leave allowAllIpv6Outbound unset) and allow only the ports the workload uses, ' +
    'e.g. group.addEgressRule(Peer.anyIpv4(), Port.tcp(443)), with the same for Peer.anyIpv6() only if the VPC has IPv6.',
  resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupEgress'],
  nistControls: ['AC-4', 'CM-7', 'SC-7', 'SC-7(5)'],
  profile: 'baseline',
  check: (resource) => {
    if (resource.type === 'AWS::EC2::SecurityGroupEgress') return openEgress(resource.properties, '');
    return asList(resource.properties.SecurityGroupEgress).flatMap((rule, i) => (isObject(rule) ? openEgress(rule, `SecurityGroupEgress[${i}]`) : []));
  },
};

function openEgress(rule: JsonObject, path: string): RiskViolation[] {
  if (!isAllTraffic(rule)) return [];
  return ['CidrIp', 'CidrIpv6']
    .filter((key) => isAnywhere(rule[key]))
    .map((key) => ({
      message: `${path ? `${path} ` : 'the egress '}allows ${describeTraffic(rule.IpProtocol, rule.FromPort, rule.ToPort)} out to ${cidrText(rule[key])}`,
      location: ['Properties', path, key].filter(Boolean).join('.'),
    }));
}
