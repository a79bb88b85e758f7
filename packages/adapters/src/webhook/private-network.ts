import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type DeliveryError, deliveryError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { isPrivateAddress } from './address-ranges.js';

export { isPrivateAddress } from './address-ranges.js';

export type WebhookLookup = (hostname: string) => Promise<ReadonlyArray<{ readonly address: string }>>;

export const systemLookup: WebhookLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface PinnedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Where one attempt goes: the URL, and the addresses vetted for its host, the only ones it may connect to. */
export interface WebhookTarget {
  readonly url: URL;
  /** `undefined` only when private networks are allowed: then nothing was vetted and the system resolves. */
  readonly addresses: ReadonlyArray<PinnedAddress> | undefined;
}

const pinned = (address: string): PinnedAddress => ({ address, family: isIP(address) === 6 ? 6 : 4 });

/**
 * Resolves the webhook host once and vets every address, so a tenant-supplied URL cannot make Paraphe call its own
 * network (SSRF). The attempt then connects to these addresses and no others: a second resolution could answer
 * differently (DNS rebinding). Not http(s), a bad URL or any non-public address is refused.
 */
export const resolveWebhookTarget = async (
  rawUrl: string,
  options: { readonly allowPrivateNetwork: boolean; readonly lookup: WebhookLookup },
): Promise<E.Either<DeliveryError, WebhookTarget>> => {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return E.left(deliveryError(false, 'INVALID_URL'));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return E.left(deliveryError(false, 'UNSUPPORTED_SCHEME'));
  if (options.allowPrivateNetwork) return E.right({ url, addresses: undefined });
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let answers: ReadonlyArray<{ readonly address: string }>;
  try {
    // An IP literal is its own answer: there is nothing to resolve.
    answers = isIP(host) === 0 ? await options.lookup(host) : [{ address: host }];
  } catch {
    return E.left(deliveryError(true, 'DNS_FAILURE'));
  }
  if (answers.length === 0) return E.left(deliveryError(true, 'DNS_FAILURE'));
  if (answers.some((a) => isPrivateAddress(a.address)))
    return E.left(deliveryError(false, 'PRIVATE_NETWORK_TARGET'));
  return E.right({ url, addresses: answers.map((a) => pinned(a.address)) });
};

/** `resolveWebhookTarget` for a caller that only wants the refusal, if any. */
export const checkWebhookTarget = async (
  rawUrl: string,
  options: { readonly allowPrivateNetwork: boolean; readonly lookup: WebhookLookup },
): Promise<DeliveryError | undefined> => {
  const target = await resolveWebhookTarget(rawUrl, options);
  return E.isLeft(target) ? target.left : undefined;
};
