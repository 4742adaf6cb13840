// Which IP addresses an outbound webhook may reach: public unicast only. Everything a request
// from inside Google's network could abuse (loopback, private ranges, link-local with the
// metadata server, carrier-grade NAT, multicast, reserved and documentation ranges, and IPv6
// forms that embed one of those IPv4 addresses) is refused. Pure: no I/O.
import { isIPv4, isIPv6 } from 'node:net';

type Range = readonly [base: bigint, bits: number];

const v4 = (text: string): bigint => text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);

/** An IPv6 address as a 128-bit integer (handles `::` and a trailing dotted IPv4 part). */
function v6(text: string): bigint {
  let s = text.split('%')[0]!.toLowerCase();
  const dotted = s.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const n = v4(dotted[2]!);
    s = `${dotted[1]}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = s.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

const within = (value: bigint, width: number, [base, bits]: Range): boolean => value >> BigInt(width - bits) === base >> BigInt(width - bits);

const r4 = (cidr: string): Range => {
  const [ip, bits] = cidr.split('/') as [string, string];
  return [v4(ip), Number(bits)];
};
const r6 = (cidr: string): Range => {
  const [ip, bits] = cidr.split('/') as [string, string];
  return [v6(ip), Number(bits)];
};

const LOOPBACK_V4 = r4('127.0.0.0/8');
const BLOCKED_V4 = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24',
  '192.0.2.0/24', '192.88.99.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4',
].map(r4);

const BLOCKED_V6 = ['::/128', '::1/128', '100::/64', '2001:db8::/32', 'fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8'].map(r6);
/** IPv6 ranges that carry an IPv4 address in their low 32 bits. */
const EMBEDS_V4 = ['::ffff:0:0/96', '::/96', '64:ff9b::/96', '64:ff9b:1::/48'].map(r6);
const SIX_TO_FOUR = r6('2002::/16');

/** The IPv4 address an IPv6 address stands for, if it embeds one. */
function embeddedV4(value: bigint): bigint | undefined {
  if (within(value, 128, SIX_TO_FOUR)) return (value >> 80n) & 0xffffffffn;
  if (EMBEDS_V4.some((r) => within(value, 128, r))) return value & 0xffffffffn;
  return undefined;
}

/** True for a public unicast address an outbound webhook may connect to. */
export function isPublicAddress(ip: string): boolean {
  if (isIPv4(ip)) return !BLOCKED_V4.some((r) => within(v4(ip), 32, r));
  if (!isIPv6(ip)) return false;
  const value = v6(ip);
  if (BLOCKED_V6.some((r) => within(value, 128, r))) return false;
  const inner = embeddedV4(value);
  return inner === undefined || !BLOCKED_V4.some((r) => within(inner, 32, r));
}

/** True for 127.0.0.0/8, ::1 and their IPv6-embedded forms. */
export function isLoopbackAddress(ip: string): boolean {
  if (isIPv4(ip)) return within(v4(ip), 32, LOOPBACK_V4);
  if (!isIPv6(ip)) return false;
  const value = v6(ip);
  if (value === 1n) return true;
  const inner = embeddedV4(value);
  return inner !== undefined && within(inner, 32, LOOPBACK_V4);
}
