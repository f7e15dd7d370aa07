import { MIN_ACKNOWLEDGEMENT_REASON_LENGTH } from '@core-infra/policies';
import { z } from 'zod';

/** Retention periods CloudWatch Logs accepts, in days; any other value fails only at deploy. */
export const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** The private IPv4 ranges of RFC 1918, as [first address, prefix length]. */
const RFC1918: readonly (readonly [number, number])[] = [
  [ipv4ToNumber('10.0.0.0'), 8],
  [ipv4ToNumber('172.16.0.0'), 12],
  [ipv4ToNumber('192.168.0.0'), 16],
];

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** A CIDR block split into its first address and prefix length. */
interface Cidr {
  readonly base: number;
  readonly prefix: number;
}

function parseCidr(cidr: string): Cidr {
  const [address, prefix] = cidr.split('/');
  return { base: ipv4ToNumber(address), prefix: Number(prefix) };
}

/** The block's network address: the address with its host bits cleared. */
function networkAddress({ base, prefix }: Cidr): number {
  const size = 2 ** (32 - prefix);
  return Math.floor(base / size) * size;
}

/** Whether block `inner` lies entirely inside block `outer`. */
function within(inner: Cidr, outer: Cidr): boolean {
  return inner.prefix >= outer.prefix && networkAddress({ base: inner.base, prefix: outer.prefix }) === outer.base;
}

/** Adds an issue when a CIDR block has host bits set, naming the block it should be. */
function checkNoHostBits(ctx: { value: string; issues: unknown[] }): void {
  const cidr = parseCidr(ctx.value);
  const network = networkAddress(cidr);
  if (network !== cidr.base) {
    ctx.issues.push({ code: 'custom', input: ctx.value, message: `has host bits set: the block starting there is "${numberToIpv4(network)}/${cidr.prefix}"` });
  }
}

/** A VPC range: IPv4, inside RFC 1918, no host bits, /16 to /24 (room for the subnet plan). */
export const vpcCidr = z
  .cidrv4({ error: 'must be an IPv4 CIDR block, e.g. "10.0.0.0/16"', abort: true })
  .check(checkNoHostBits)
  .check((ctx) => {
    const cidr = parseCidr(ctx.value);
    if (!RFC1918.some(([base, prefix]) => within(cidr, { base, prefix }))) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: 'is not a private range: a VPC must use RFC 1918 space (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16), e.g. "10.0.0.0/16"' });
    }
    if (cidr.prefix < 16 || cidr.prefix > 24) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `has a /${cidr.prefix} prefix: a VPC takes /16 (AWS's largest) to /24, enough for a public and a private subnet per zone` });
    }
  });

/** An allowlist entry: IPv4, no host bits, never the whole internet. */
export const allowlistCidr = z
  .cidrv4({ error: 'must be an IPv4 CIDR block, e.g. "203.0.113.7/32"', abort: true })
  .check(checkNoHostBits)
  .check((ctx) => {
    if (parseCidr(ctx.value).prefix < 8) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: 'admits too much of the internet to be an allowlist entry: list the offices and monitors by address, e.g. "203.0.113.7/32"' });
    }
  });

/** A retention period CloudWatch Logs accepts. */
export const logRetentionDays = z
  .number()
  .int({ error: 'must be a whole number of days' })
  .refine((days) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(days), {
    error: `must be a retention CloudWatch Logs accepts: ${CLOUDWATCH_RETENTION_DAYS.join(', ')}`,
  });

/**
 * Stack tags within AWS's rules: 1–128 character keys not starting with `aws:`, values up to 256
 * characters, letters, digits, spaces and `_ . : / = + - @` only, at most 50 tags.
 */
export const tagsSchema = z
  .record(
    z
      .string()
      .min(1, { error: 'tag keys must not be empty' })
      .max(128, { error: 'tag keys are at most 128 characters' })
      .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, { error: 'tag keys may hold letters, digits, spaces and _ . : / = + - @ only' })
      .refine((key) => !key.toLowerCase().startsWith('aws:'), { error: 'tag keys starting with "aws:" are reserved for AWS: choose another prefix, e.g. "core:"' }),
    z
      .string()
      .max(256, { error: 'tag values are at most 256 characters' })
      .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, { error: 'tag values may hold letters, digits, spaces and _ . : / = + - @ only' }),
  )
  .refine((tags) => Object.keys(tags).length <= 50, { error: 'at most 50 tags fit a resource' })
  .default({});

/** A written reason (for an exception, a trusted account): as long as a policy acknowledgement's at least. */
export const writtenReason = z
  .string()
  .trim()
  .min(MIN_ACKNOWLEDGEMENT_REASON_LENGTH, { error: `say why, in at least ${MIN_ACKNOWLEDGEMENT_REASON_LENGTH} characters` });
