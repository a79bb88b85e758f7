import { lookup as dnsLookup } from 'node:dns/promises';
import { isIPv4, isIPv6 } from 'node:net';
import { type DeliveryError, deliveryError } from '@paraphe/domain';

const ipv4ToInt = (ip: string): number => ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);

// [network, prefix length]: private (RFC 1918), loopback, link-local, CGNAT, "this network", multicast and reserved.
const privateV4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const inV4Range = (ip: number, [network, bits]: readonly [string, number]): boolean => {
  const size = 2 ** (32 - bits);
  return Math.floor(ip / size) === Math.floor(ipv4ToInt(network) / size);
};

/** The eight 16-bit groups of an IPv6 address, a dotted IPv4 tail included. */
const ipv6Groups = (ip: string): ReadonlyArray<number> | undefined => {
  let text = ip.split('%')[0] ?? '';
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (tail !== undefined) {
    const v4 = ipv4ToInt(tail);
    text = `${text.slice(0, -tail.length)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const fill = rest === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(Math.max(0, fill)).fill('0'), ...right].map((g) =>
    Number.parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
};

const isPrivateV6 = (ip: string): boolean => {
  const g = ipv6Groups(ip);
  if (g === undefined) return true;
  const [g0 = 0, , , , , g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  // An IPv4-mapped (::ffff:a.b.c.d) address reaches the IPv4 host: judge that host.
  if (zeroUpTo(5) && g5 === 0xffff) return isPrivateAddress(`${g6 >> 8}.${g6 & 255}.${g7 >> 8}.${g7 & 255}`);
  if (zeroUpTo(7) && (g7 === 0 || g7 === 1)) return true; // :: and ::1
  return (g0 & 0xfe00) === 0xfc00 || (g0 & 0xffc0) === 0xfe80 || (g0 & 0xff00) === 0xff00;
};

/** True for loopback, private, link-local and other non-public addresses; unparseable counts as private. */
export const isPrivateAddress = (ip: string): boolean => {
  if (isIPv4(ip)) return privateV4.some((range) => inV4Range(ipv4ToInt(ip), range));
  if (isIPv6(ip)) return isPrivateV6(ip);
  return true;
};

export type WebhookLookup = (hostname: string) => Promise<ReadonlyArray<{ readonly address: string }>>;

export const systemLookup: WebhookLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Refuses a webhook URL that is not http(s) or whose host resolves to any non-public
 * address, so a tenant-supplied URL cannot make Paraphe call its own network (SSRF).
 * The check is at resolution time; redirects are never followed by the notifier.
 */
export const checkWebhookTarget = async (
  rawUrl: string,
  options: { readonly allowPrivateNetwork: boolean; readonly lookup: WebhookLookup },
): Promise<DeliveryError | undefined> => {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return deliveryError(false, 'INVALID_URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return deliveryError(false, 'UNSUPPORTED_SCHEME');
  if (options.allowPrivateNetwork) return undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ReadonlyArray<{ readonly address: string }>;
  try {
    addresses = await options.lookup(host);
  } catch {
    return deliveryError(true, 'DNS_FAILURE');
  }
  if (addresses.length === 0) return deliveryError(true, 'DNS_FAILURE');
  return addresses.some((a) => isPrivateAddress(a.address))
    ? deliveryError(false, 'PRIVATE_NETWORK_TARGET')
    : undefined;
};
