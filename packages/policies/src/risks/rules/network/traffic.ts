import { renderString } from '../../values';

/**
 * Whether a CIDR admits every address of its family. Any address with a /0 prefix is the whole
 * internet (`0.0.0.0/0`, `::/0`, `::0/0`, `0:0:0:0:0:0:0:0/0`, even `10.0.0.0/0`), and so is a
 * deploy-time address joined to a literal `/0`; a CIDR known only at deploy time is not.
 */
export function isAnywhere(cidr: unknown): boolean {
  const text = renderString(cidr);
  return text !== undefined && /^[^/]+\/0+$/.test(text.trim());
}

/** The CIDR as written, for messages. */
export function cidrText(cidr: unknown): string {
  return (renderString(cidr) ?? JSON.stringify(cidr)).trim();
}

const PROTOCOL_NAMES: Readonly<Record<string, string>> = { '-1': 'all', '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'icmpv6' };

/** A protocol as a name (`tcp`, `udp`, `icmp`, `icmpv6`, `all`), whether written as a name or an IANA number. */
export function protocolName(protocol: unknown): string | undefined {
  const text = renderString(protocol)?.trim().toLowerCase();
  return text === undefined ? undefined : (PROTOCOL_NAMES[text] ?? text);
}

/** A port bound as a number; `undefined` when absent or known only at deploy time. */
export function portNumber(port: unknown): number | undefined {
  const text = renderString(port);
  return text !== undefined && /^-?\d+$/.test(text.trim()) ? Number(text) : undefined;
}

/**
 * Whether a security group rule lets every kind of traffic through: protocol -1, or TCP or UDP
 * over the whole port range. An absent or -1 bound counts as open, so an ambiguous rule never passes.
 */
export function isAllTraffic(rule: Readonly<Record<string, unknown>>): boolean {
  const protocol = protocolName(rule.IpProtocol);
  if (protocol === 'all') return true;
  if (protocol !== 'tcp' && protocol !== 'udp') return false;
  const from = portNumber(rule.FromPort) ?? -1;
  const to = portNumber(rule.ToPort) ?? -1;
  return from <= 0 && (to >= 65535 || to === -1);
}

/** The traffic a rule admits, for messages: `all traffic`, `tcp 443`, `tcp 1024-65535`, `icmp`. */
export function describeTraffic(protocol: unknown, from: unknown, to: unknown): string {
  const name = protocolName(protocol) ?? 'an unknown protocol';
  if (name === 'all') return 'all traffic';
  if (name !== 'tcp' && name !== 'udp') return name;
  const low = portNumber(from);
  const high = portNumber(to);
  if (low === undefined || high === undefined || low < 0) return `${name} on every port`;
  return low === high ? `${name} ${low}` : `${name} ${low}-${high}`;
}
