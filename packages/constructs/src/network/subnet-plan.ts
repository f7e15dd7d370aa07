import type { IConstruct } from 'constructs';
import { propsError } from '../shared/errors';

/** IPv4 CIDR blocks for the public and private subnets of each availability zone. */
export interface SubnetPlan {
  /** Public subnet CIDRs, one per AZ in AZ order. */
  readonly publicCidrs: readonly string[];
  /** Private subnet CIDRs, one per AZ in AZ order. */
  readonly privateCidrs: readonly string[];
  /** Prefix length of every subnet. */
  readonly subnetPrefixLength: number;
}

/**
 * Splits a VPC CIDR the way CORE's original network did: the lower half for public subnets,
 * the upper half for private subnets, each half cut into the smallest power of two of equal
 * blocks that fits one block per AZ. A /16 over three AZs gives /19s: public 10.0.0.0/19,
 * 10.0.32.0/19, 10.0.64.0/19 and private 10.0.128.0/19, 10.0.160.0/19, 10.0.192.0/19; the
 * fourth block of each half stays free for later growth.
 *
 * @param scope the network, named in errors
 * @param vpcCidr the VPC's CIDR block
 * @param azCount the number of availability zones
 * @internal
 */
export function planSubnets(scope: IConstruct, vpcCidr: string, azCount: number): SubnetPlan {
  const { network, prefixLength } = parseCidr(scope, vpcCidr);
  const slotBits = Math.ceil(Math.log2(azCount));
  // A /24 over at most 6 AZs yields /28s, the smallest subnet AWS allows, so no further check.
  const subnetPrefixLength = prefixLength + 1 + slotBits;
  const halfSize = 2 ** (32 - prefixLength - 1);
  const subnetSize = 2 ** (32 - subnetPrefixLength);
  const cidrs = (halfStart: number): string[] =>
    Array.from({ length: azCount }, (_, index) => `${formatAddress(halfStart + index * subnetSize)}/${subnetPrefixLength}`);
  return {
    publicCidrs: cidrs(network),
    privateCidrs: cidrs(network + halfSize),
    subnetPrefixLength,
  };
}

/**
 * Parses and checks an IPv4 CIDR block for a VPC (/16 to /24, host bits clear).
 *
 * @param scope the network, named in errors
 * @param cidr the CIDR block
 * @internal
 */
export function parseCidr(scope: IConstruct, cidr: string): { network: number; prefixLength: number } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = match?.slice(1, 5).map(Number);
  if (match === null || octets === undefined || octets.some((octet) => octet > 255)) {
    throw propsError(scope, `cidr must be an IPv4 CIDR block such as "10.0.0.0/16", got "${cidr}"`);
  }
  const prefixLength = Number(match[5]);
  if (prefixLength < 16 || prefixLength > 24) {
    throw propsError(scope, `cidr prefix length must be between /16 and /24 for a VPC with public and private subnets in each AZ, got /${prefixLength} in "${cidr}": use e.g. "10.0.0.0/16"`);
  }
  const address = octets.reduce((total, octet) => total * 256 + octet, 0);
  const blockSize = 2 ** (32 - prefixLength);
  const network = Math.floor(address / blockSize) * blockSize;
  if (network !== address) {
    throw propsError(scope, `cidr "${cidr}" has host bits set: use "${formatAddress(network)}/${prefixLength}"`);
  }
  return { network, prefixLength };
}

function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}
