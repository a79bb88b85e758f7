import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { notAnAddress, notGlobalUnicast, refusedRangeOf, refusedRanges } from './address-ranges.js';
import {
  checkWebhookTarget,
  isPrivateAddress,
  resolveWebhookTarget,
  systemLookup,
} from './private-network.js';

/** The CIDR an address is refused for, the catch-all it falls under, or 'public'. */
const rangeOf = (ip: string): string => {
  const refused = refusedRangeOf(ip);
  if (refused === undefined) return 'public';
  return refused === notGlobalUnicast || refused === notAnAddress
    ? refused
    : (refused.split(' ')[0] ?? refused);
};

// range | addresses inside it, its first and last among them | addresses just outside it → what they are
// (`outside` stands for any IPv6 address outside 2000::/3, the only global unicast block).
const table = `
0.0.0.0/8         | 0.0.0.0 0.255.255.255                               | 1.0.0.0→public
10.0.0.0/8        | 10.0.0.0 10.255.255.255                             | 9.255.255.255→public 11.0.0.0→public
100.64.0.0/10     | 100.64.0.0 100.127.255.255                          | 100.63.255.255→public 100.128.0.0→public
127.0.0.0/8       | 127.0.0.0 127.0.0.1 127.255.255.255                 | 126.255.255.255→public 128.0.0.0→public
169.254.0.0/16    | 169.254.0.0 169.254.169.254 169.254.255.255         | 169.253.255.255→public 169.255.0.0→public
172.16.0.0/12     | 172.16.0.0 172.31.255.255                           | 172.15.255.255→public 172.32.0.0→public
192.0.0.0/24      | 192.0.0.0 192.0.0.255                               | 191.255.255.255→public 192.0.1.0→public
192.0.2.0/24      | 192.0.2.0 192.0.2.255                               | 192.0.1.255→public 192.0.3.0→public
192.88.99.0/24    | 192.88.99.0 192.88.99.255                           | 192.88.98.255→public 192.88.100.0→public
192.168.0.0/16    | 192.168.0.0 192.168.255.255                         | 192.167.255.255→public 192.169.0.0→public
198.18.0.0/15     | 198.18.0.0 198.19.255.255                           | 198.17.255.255→public 198.20.0.0→public
198.51.100.0/24   | 198.51.100.0 198.51.100.255                         | 198.51.99.255→public 198.51.101.0→public
203.0.113.0/24    | 203.0.113.0 203.0.113.255                           | 203.0.112.255→public 203.0.114.0→public
224.0.0.0/4       | 224.0.0.0 239.255.255.255                           | 223.255.255.255→public 240.0.0.0→240.0.0.0/4
240.0.0.0/4       | 240.0.0.0 255.255.255.255                           | 239.255.255.255→224.0.0.0/4
::/128            | :: 0:0:0:0:0:0:0:0                                  | ::1→::1/128
::1/128           | ::1 0000:0000:0000:0000:0000:0000:0000:0001         | ::→::/128 ::2→::/96
::ffff:0:0/96     | ::ffff:0.0.0.0 ::ffff:255.255.255.255 ::ffff:127.0.0.1 ::ffff:7f00:1 ::ffff:8.8.8.8 ::FFFF:808:808
                                                                        | ::fffe:ffff:ffff→outside ::1:0:0:0→outside
::/96             | ::2 ::0.0.0.2 ::8.8.8.8 ::127.0.0.1 ::ffff:ffff     | ::1:0:0→outside
::ffff:0:0:0/96   | ::ffff:0:0:0 ::ffff:0:8.8.8.8 ::ffff:0:ffff:ffff    | ::ffff:1:0:0→outside ::fffe:ffff:ffff:ffff→outside
64:ff9b::/96      | 64:ff9b:: 64:ff9b::8.8.8.8 64:ff9b::7f00:1 64:ff9b::ffff:ffff
                                                                        | 64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff→outside 64:ff9b::1:0:0→outside
64:ff9b:1::/48    | 64:ff9b:1:: 64:ff9b:1::8.8.8.8 64:ff9b:1:ffff:ffff:ffff:ffff:ffff
                                                                        | 64:ff9b:0:ffff:ffff:ffff:ffff:ffff→outside 64:ff9b:2::→outside
100::/64          | 100:: 100::ffff:ffff:ffff:ffff                      | ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff→outside 100:0:0:1::→outside
2001::/32         | 2001:: 2001:0:4136:e378:8000:63bf:3fff:fdd2 2001:0:ffff:ffff:ffff:ffff:ffff:ffff
                                                                        | 2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff→public 2001:1::→2001::/23
2001:db8::/32     | 2001:db8:: 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff   | 2001:db7:ffff:ffff:ffff:ffff:ffff:ffff→public 2001:db9::→public
2001::/23         | 2001:2:: 2001:10::1 2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff
                                                                        | 2001:200::→public
2002::/16         | 2002:: 2002:7f00:1:: 2002:c0a8:101::1 2002:808:808:: 2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff
                                                                        | 2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff→public 2003::→public
3fff::/20         | 3fff:: 3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff       | 3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff→public 3fff:1000::→public
5f00::/16         | 5f00:: 5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff      | 5eff:ffff:ffff:ffff:ffff:ffff:ffff:ffff→outside 5f01::→outside
fc00::/7          | fc00:: fd12:3456::1 fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
                                                                        | fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff→outside fe00::→outside
fe80::/10         | fe80:: fe80::1%eth0 FE80::1 febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff
                                                                        | fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff→outside fec0::→fec0::/10
fec0::/10         | fec0:: fec0::1 feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
                                                                        | febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff→fe80::/10 ff00::→ff00::/8
ff00::/8          | ff00:: ff02::1 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
                                                                        | feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff→fec0::/10
outside           | 1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 4000:: 8000::1 e000::
                                                                        | 2000::→public 3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff→public
`;

const named = (range: string) => (range === 'outside' ? notGlobalUnicast : range);

/** One row per range: a line, and a continuation line (starting with `|`) when the row is long. */
const rows = table
  .trim()
  .replace(/\n\s+\|/g, ' |')
  .split('\n')
  .map((line) => {
    const [range = '', inside = '', outside = ''] = line.split('|').map((cell) => cell.trim());
    const neighbours = outside.split(/\s+/).map((pair) => pair.split('→') as [string, string]);
    return [named(range), inside.split(/\s+/), neighbours.map(([ip, what]) => [ip, named(what)])] as const;
  });

describe('refusedRangeOf, range by range', () => {
  it('has a row for every range it refuses', () => {
    expect(rows.map(([range]) => range)).toEqual(refusedRanges);
  });

  describe.each(rows)('%s', (range, inside, neighbours) => {
    it.each(inside)('holds %s', (ip) => expect(rangeOf(ip)).toBe(range));
    it.each(neighbours)('does not hold %s: %s', (ip, expected) => expect(rangeOf(ip)).toBe(expected));
  });
});

describe('isPrivateAddress', () => {
  it.each(['8.8.8.8', '1.1.1.1', '93.184.215.14', '2606:4700:4700::1111', '2a00:1450:4007:80e::200e'])(
    '%s is public',
    (ip) => expect(isPrivateAddress(ip)).toBe(false),
  );

  // Whether it embeds a public IPv4 address or a private one: the host it reaches is not judged.
  it.each(['8.8.8.8', '127.0.0.1', '10.0.0.1', '169.254.169.254'])(
    '%s written as IPv6 is refused in every form',
    (v4) => {
      const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
      const high = ((a << 8) | b).toString(16);
      const low = ((c << 8) | d).toString(16);
      for (const form of [
        `::ffff:${v4}`,
        `::ffff:${high}:${low}`,
        `0:0:0:0:0:ffff:${v4}`,
        `::${v4}`,
        `::ffff:0:${v4}`,
        `64:ff9b::${v4}`,
        `64:ff9b:1::${v4}`,
        `2002:${high}:${low}::1`,
      ])
        expect([form, isPrivateAddress(form)]).toEqual([form, true]);
    },
  );

  it.each(['not-an-ip', '', '127.1', '0x7f.0.0.1', '2130706433', '010.0.0.1', '[::1]', 'fe80::1%'])(
    '"%s" is not an address, hence refused',
    (text) => expect(isPrivateAddress(text)).toBe(true),
  );
});

describe('resolveWebhookTarget', () => {
  const resolvesTo =
    (...addresses: string[]) =>
    async () =>
      addresses.map((address) => ({ address }));
  const refused = { allowPrivateNetwork: false } as const;

  it('refuses a host with any private address, unless private networks are allowed', async () => {
    const lookup = resolvesTo('93.184.215.14', '10.0.0.5');
    expect(await checkWebhookTarget('https://crm.example/hook', { ...refused, lookup })).toMatchObject({
      reason: 'PRIVATE_NETWORK_TARGET',
      retryable: false,
    });
    expect(
      await checkWebhookTarget('https://crm.example/hook', { allowPrivateNetwork: true, lookup }),
    ).toBeUndefined();
  });

  it('answers every vetted address, from one resolution, as the only ones to connect to', async () => {
    const asked: string[] = [];
    const lookup = async (host: string) => {
      asked.push(host);
      return [{ address: '2606:4700:4700::1111' }, { address: '93.184.215.14' }];
    };
    const target = await resolveWebhookTarget('https://crm.example:8443/hook?t=1', { ...refused, lookup });
    expect(E.isRight(target) && target.right.addresses).toEqual([
      { address: '2606:4700:4700::1111', family: 6 },
      { address: '93.184.215.14', family: 4 },
    ]);
    expect(asked).toEqual(['crm.example']);
  });

  it('takes an IP literal as its own address, without asking the resolver', async () => {
    const lookup = async () => Promise.reject(new Error('must not be asked'));
    const v4 = await resolveWebhookTarget('https://93.184.215.14/hook', { ...refused, lookup });
    const v6 = await resolveWebhookTarget('https://[2606:4700:4700::1111]/hook', { ...refused, lookup });
    expect([v4, v6].map((t) => E.isRight(t) && t.right.addresses)).toEqual([
      [{ address: '93.184.215.14', family: 4 }],
      [{ address: '2606:4700:4700::1111', family: 6 }],
    ]);
  });

  it('refuses private literals in every spelling the URL parser accepts, and localhost', async () => {
    for (const url of [
      'http://127.0.0.1:8080/x',
      'http://127.1/x',
      'http://0x7f.0.0.1/x',
      'http://2130706433/x',
      'http://017700000001/x',
      'http://[::1]/x',
      'http://[::ffff:127.0.0.1]/x',
      'http://[0:0:0:0:0:ffff:7f00:1]/x',
      'http://[64:ff9b::7f00:1]/x',
      'http://[2002:7f00:1::]/x',
      'http://[fec0::1]/x',
      'http://198.18.0.1/x',
      'http://192.0.0.8/x',
      'http://203.0.113.7/x',
      'http://localhost/x',
    ]) {
      expect([url, await checkWebhookTarget(url, { ...refused, lookup: systemLookup })]).toMatchObject([
        url,
        { reason: 'PRIVATE_NETWORK_TARGET' },
      ]);
    }
  });

  it('accepts a public host and refuses bad URLs and schemes', async () => {
    const lookup = resolvesTo('93.184.215.14');
    expect(await checkWebhookTarget('https://crm.example/hook', { ...refused, lookup })).toBeUndefined();
    expect(await checkWebhookTarget('not a url', { ...refused, lookup })).toMatchObject({
      reason: 'INVALID_URL',
    });
    expect(
      await checkWebhookTarget('file:///etc/passwd', { allowPrivateNetwork: true, lookup }),
    ).toMatchObject({ reason: 'UNSUPPORTED_SCHEME' });
  });

  it('reports a resolver failure, or no answer, as retryable', async () => {
    for (const lookup of [async () => Promise.reject(new Error('ENOTFOUND')), resolvesTo()]) {
      expect(await checkWebhookTarget('https://crm.example/hook', { ...refused, lookup })).toMatchObject({
        reason: 'DNS_FAILURE',
        retryable: true,
      });
    }
  });
});
