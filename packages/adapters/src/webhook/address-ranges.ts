import { isIPv4, isIPv6 } from 'node:net';

// Every range a webhook may not reach, with why. IPv4 ranges are checked on the address; an IPv6 address is refused
// when it lies in one of the IPv6 ranges or outside global unicast (2000::/3). Forms that embed or translate an IPv4
// address (mapped, compatible, NAT64, 6to4, Teredo) are refused whole: the IPv4 host they reach is not judged.
const v4Ranges: ReadonlyArray<readonly [cidr: string, why: string]> = [
  ['0.0.0.0/8', '"this network"'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local, cloud metadata'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'TEST-NET-1'],
  ['192.88.99.0/24', '6to4 relay anycast'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'TEST-NET-2'],
  ['203.0.113.0/24', 'TEST-NET-3'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved, broadcast'],
];

// The more specific first: the first match names the range.
const v6Ranges: ReadonlyArray<readonly [cidr: string, why: string]> = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::ffff:0:0/96', 'IPv4-mapped'],
  ['::/96', 'IPv4-compatible'],
  ['::ffff:0:0:0/96', 'IPv4-translated'],
  ['64:ff9b::/96', 'NAT64'],
  ['64:ff9b:1::/48', 'local-use NAT64'],
  ['100::/64', 'discard-only'],
  ['2001::/32', 'Teredo'],
  ['2001:db8::/32', 'documentation'],
  ['2001::/23', 'IETF protocol assignments'],
  ['2002::/16', '6to4'],
  ['3fff::/20', 'documentation'],
  ['5f00::/16', 'SRv6 segment identifiers'],
  ['fc00::/7', 'unique local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
];

/** Refusal named for an IPv6 address outside 2000::/3, the only block IANA allocates for global unicast. */
export const notGlobalUnicast = 'outside 2000::/3';
/** Refusal named for anything that is not an IPv4 or IPv6 address. */
export const notAnAddress = 'not an IP address';

const v4ToBigInt = (ip: string): bigint =>
  ip.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);

/** The 128-bit value of an address `isIPv6` accepted (a zone and a dotted IPv4 tail included). */
const v6ToBigInt = (ip: string): bigint => {
  let text = ip.split('%')[0] ?? '';
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (tail !== undefined) {
    const v4 = v4ToBigInt(tail);
    text = `${text.slice(0, -tail.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = Array<string>(rest === undefined ? 0 : 8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].reduce((acc, group) => (acc << 16n) | BigInt(`0x${group}`), 0n);
};

interface Range {
  readonly name: string;
  readonly network: bigint;
  readonly hostBits: bigint;
}

const parseRange =
  (width: 32 | 128, toBigInt: (ip: string) => bigint) =>
  ([cidr, why]: readonly [string, string]): Range => {
    const [network = '', bits = ''] = cidr.split('/');
    return { name: `${cidr} ${why}`, network: toBigInt(network), hostBits: BigInt(width - Number(bits)) };
  };

const v4 = v4Ranges.map(parseRange(32, v4ToBigInt));
const v6 = v6Ranges.map(parseRange(128, v6ToBigInt));

/** Every refused range's CIDR, IPv4 then IPv6, the catch-all last. */
export const refusedRanges: ReadonlyArray<string> = [
  ...[...v4Ranges, ...v6Ranges].map(([cidr]) => cidr),
  notGlobalUnicast,
];

const matching = (ranges: ReadonlyArray<Range>, value: bigint): string | undefined =>
  ranges.find((r) => value >> r.hostBits === r.network >> r.hostBits)?.name;

/**
 * Why a webhook may not be sent to this address (`"<cidr> <why>"`), or `undefined` for a public one. Anything that
 * is not a plain IPv4 or IPv6 address is refused.
 */
export const refusedRangeOf = (ip: string): string | undefined => {
  if (isIPv4(ip)) return matching(v4, v4ToBigInt(ip));
  if (!isIPv6(ip)) return notAnAddress;
  const value = v6ToBigInt(ip);
  return matching(v6, value) ?? (value >> 125n === 1n ? undefined : notGlobalUnicast);
};

/** True for loopback, private, link-local, translated and every other non-public address; unparseable counts too. */
export const isPrivateAddress = (ip: string): boolean => refusedRangeOf(ip) !== undefined;
