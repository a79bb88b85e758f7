import { describe, expect, it } from 'vitest';
import { checkWebhookTarget, isPrivateAddress } from './private-network.js';

describe('isPrivateAddress', () => {
  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '127.0.0.1',
    '127.9.9.9',
    '169.254.169.254',
    '0.0.0.0',
    '100.64.0.1',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    'not-an-ip',
  ])('%s is refused', (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each([
    '8.8.8.8',
    '172.32.0.1',
    '172.15.255.255',
    '192.169.0.1',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
  ])('%s is public', (ip) => expect(isPrivateAddress(ip)).toBe(false));
});

describe('checkWebhookTarget', () => {
  const resolvesTo =
    (...addresses: string[]) =>
    async () =>
      addresses.map((address) => ({ address }));

  it('refuses a host with any private address, unless private networks are allowed', async () => {
    const lookup = resolvesTo('93.184.215.14', '10.0.0.5');
    expect(
      await checkWebhookTarget('https://crm.example/hook', { allowPrivateNetwork: false, lookup }),
    ).toMatchObject({
      reason: 'PRIVATE_NETWORK_TARGET',
      retryable: false,
    });
    expect(
      await checkWebhookTarget('https://crm.example/hook', { allowPrivateNetwork: true, lookup }),
    ).toBeUndefined();
  });

  it('refuses IP literals and localhost with the system resolver', async () => {
    const { systemLookup: lookup } = await import('./private-network.js');
    for (const url of [
      'http://127.0.0.1:8080/x',
      'http://[::1]/x',
      'http://localhost/x',
      'http://[::ffff:127.0.0.1]/x',
    ]) {
      expect(await checkWebhookTarget(url, { allowPrivateNetwork: false, lookup })).toMatchObject({
        reason: 'PRIVATE_NETWORK_TARGET',
      });
    }
  });

  it('accepts a public host and refuses bad URLs and schemes', async () => {
    const lookup = resolvesTo('93.184.215.14');
    expect(
      await checkWebhookTarget('https://crm.example/hook', { allowPrivateNetwork: false, lookup }),
    ).toBeUndefined();
    expect(await checkWebhookTarget('not a url', { allowPrivateNetwork: false, lookup })).toMatchObject({
      reason: 'INVALID_URL',
    });
    expect(
      await checkWebhookTarget('file:///etc/passwd', { allowPrivateNetwork: true, lookup }),
    ).toMatchObject({
      reason: 'UNSUPPORTED_SCHEME',
    });
  });

  it('reports a resolver failure as retryable', async () => {
    const lookup = async () => Promise.reject(new Error('ENOTFOUND'));
    expect(
      await checkWebhookTarget('https://crm.example/hook', { allowPrivateNetwork: false, lookup }),
    ).toMatchObject({
      reason: 'DNS_FAILURE',
      retryable: true,
    });
  });
});
