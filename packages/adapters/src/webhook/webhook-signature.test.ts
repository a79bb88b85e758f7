import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { makeWebhookDeduplicator } from './webhook-deduplicator.js';
import {
  computeWebhookSignature,
  verifyWebhookSignature,
  webhookSignatureHeader,
} from './webhook-signature.js';

const secret = 'whsec_test';
const body = '{"id":"evt-1"}';
const ts = 1_748_772_000;
const now = new Date(ts * 1000 + 30_000);
const header = webhookSignatureHeader(secret, ts, body);
const verify = (over: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
  verifyWebhookSignature({
    secret,
    header,
    timestamp: String(ts),
    body,
    now,
    toleranceSeconds: 300,
    ...over,
  });
const code = (r: ReturnType<typeof verify>) => (E.isLeft(r) ? r.left.code : 'OK');

describe('verifyWebhookSignature', () => {
  it('matches a known HMAC-SHA256 over "timestamp.body"', () => {
    // Computed independently: printf '1748772000.{"id":"evt-1"}' | openssl dgst -sha256 -hmac whsec_test
    const known = '5ad23754c6df2c5ececf04f4d1315a11800d913944bf03f844cf0faff9bf39c8';
    expect(computeWebhookSignature(secret, ts, body)).toBe(known);
    expect(computeWebhookSignature(secret, String(ts), Buffer.from(body))).toBe(known);
    expect(header).toBe(`v1=${known}`);
  });

  it('accepts a fresh, untouched delivery and returns its timestamp', () => {
    expect(verify({})).toEqual(E.right({ timestamp: ts }));
    expect(verify({ body: Buffer.from(body) })).toEqual(E.right({ timestamp: ts }));
  });

  it('accepts any matching v1 entry, for secret rotation', () => {
    const other = webhookSignatureHeader('old-secret', ts, body);
    expect(code(verify({ header: `${other}, ${header}` }))).toBe('OK');
  });

  it.each([
    ['an altered body', { body: '{"id":"evt-2"}' }, 'SIGNATURE_MISMATCH'],
    ['another secret', { secret: 'nope' }, 'SIGNATURE_MISMATCH'],
    ['a swapped timestamp', { timestamp: String(ts + 1) }, 'SIGNATURE_MISMATCH'],
    ['a malformed header', { header: 'v1=zz' }, 'SIGNATURE_MISMATCH'],
    ['an unknown scheme', { header: header.replace('v1=', 'v0=') }, 'SIGNATURE_MISMATCH'],
    ['no header', { header: undefined }, 'SIGNATURE_MISSING'],
    ['no timestamp', { timestamp: null }, 'TIMESTAMP_INVALID'],
    ['a non-numeric timestamp', { timestamp: '12abc' }, 'TIMESTAMP_INVALID'],
    ['a stale replay', { now: new Date(ts * 1000 + 301_000) }, 'TIMESTAMP_STALE'],
    ['a timestamp from the future', { now: new Date(ts * 1000 - 301_000) }, 'TIMESTAMP_STALE'],
  ] as const)('rejects %s', (_, over, expected) => {
    expect(code(verify(over))).toBe(expected);
  });
});

describe('makeWebhookDeduplicator', () => {
  it('remembers processed ids and forgets the oldest past its bound', () => {
    const dedup = makeWebhookDeduplicator({ maxEntries: 2 });
    expect(dedup.seen('a')).toBe(false);
    dedup.remember('a');
    dedup.remember('b');
    expect(dedup.seen('a')).toBe(true);
    dedup.remember('c');
    expect([dedup.seen('a'), dedup.seen('b'), dedup.seen('c'), dedup.size()]).toEqual([false, true, true, 2]);
  });
});
