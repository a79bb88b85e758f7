import { createHmac, timingSafeEqual } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';

export const webhookHeaders = {
  eventId: 'Paraphe-Event-Id',
  timestamp: 'Paraphe-Timestamp',
  signature: 'Paraphe-Signature',
} as const;

/** Hex HMAC-SHA256 of `${timestamp}.${body}`: the timestamp is signed so it cannot be swapped for a fresh one. */
export const computeWebhookSignature = (
  secret: string,
  timestamp: number | string,
  body: string | Uint8Array,
): string => createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');

/** The `Paraphe-Signature` value: `v1=<hex>`. */
export const webhookSignatureHeader = (secret: string, timestamp: number, body: string): string =>
  `v1=${computeWebhookSignature(secret, timestamp, body)}`;

export type WebhookVerificationCode =
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_MISMATCH'
  | 'TIMESTAMP_INVALID'
  | 'TIMESTAMP_STALE';

export interface WebhookVerificationError {
  readonly _tag: 'WebhookVerificationError';
  readonly code: WebhookVerificationCode;
}

const failure = (code: WebhookVerificationCode): E.Either<WebhookVerificationError, never> =>
  E.left({ _tag: 'WebhookVerificationError', code });

export interface VerifyWebhookSignatureInput {
  readonly secret: string;
  /** The `Paraphe-Signature` header as received. */
  readonly header: string | null | undefined;
  /** The `Paraphe-Timestamp` header as received (unix seconds). */
  readonly timestamp: string | number | null | undefined;
  /** The raw request body, exactly as received (not re-serialised JSON). */
  readonly body: string | Uint8Array;
  readonly now: Date;
  /** How old (or how far in the future) a delivery may be; 300 s when absent. */
  readonly toleranceSeconds?: number;
}

const hex64 = /^[0-9a-f]{64}$/i;

/**
 * For CRM receivers: accepts a delivery only if one `v1=` signature in the header matches
 * (compared in constant time) and the signed timestamp is within the tolerance, which
 * bounds how long a captured request could be replayed.
 */
export const verifyWebhookSignature = (
  input: VerifyWebhookSignatureInput,
): E.Either<WebhookVerificationError, { readonly timestamp: number }> => {
  if (input.header === null || input.header === undefined || input.header.trim() === '') {
    return failure('SIGNATURE_MISSING');
  }
  const ts = String(input.timestamp ?? '').trim();
  if (!/^\d{1,12}$/.test(ts)) return failure('TIMESTAMP_INVALID');

  const expected = Buffer.from(computeWebhookSignature(input.secret, ts, input.body), 'hex');
  const candidates = input.header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3))
    .filter((sig) => hex64.test(sig));
  const matches = candidates.some((sig) => timingSafeEqual(Buffer.from(sig, 'hex'), expected));
  if (!matches) return failure('SIGNATURE_MISMATCH');

  const tolerance = input.toleranceSeconds ?? 300;
  const age = Math.floor(input.now.getTime() / 1000) - Number(ts);
  if (!(Math.abs(age) <= tolerance)) return failure('TIMESTAMP_STALE');
  return E.right({ timestamp: Number(ts) });
};
