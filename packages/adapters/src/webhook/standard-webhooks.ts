import { createHmac } from 'node:crypto';

/** The Standard Webhooks headers (standardwebhooks.com), sent beside the `Paraphe-*` ones. */
export const standardWebhookHeaders = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

const secretPrefix = 'whsec_';

/**
 * The HMAC key of the Standard Webhooks signature. A secret already in the specification's form (`whsec_` and
 * padded base64) is keyed as every Standard Webhooks library keys it, with the decoded bytes; any other secret with
 * its UTF-8 bytes, the key `Paraphe-Signature` has always used.
 */
export const standardWebhookKey = (secret: string): Buffer => {
  if (secret.startsWith(secretPrefix)) {
    const encoded = secret.slice(secretPrefix.length);
    const decoded = Buffer.from(encoded, 'base64');
    // Node decodes base64 leniently: only a canonical encoding counts as the specification's form.
    if (decoded.length > 0 && decoded.toString('base64') === encoded) return decoded;
  }
  return Buffer.from(secret, 'utf8');
};

/** The secret to give a Standard Webhooks verifier: the secret itself when in `whsec_` form, else `whsec_` + base64 of its UTF-8 bytes. */
export const standardWebhookSecret = (secret: string): string =>
  `${secretPrefix}${standardWebhookKey(secret).toString('base64')}`;

/**
 * The `webhook-id` of an event: its id percent-encoded, dots included. The specification forbids `.` there (it
 * separates the signed parts) and Paraphe's event ids hold one (`<procedure>.event-<n>`); `decodeURIComponent`
 * gives the body's `id` back.
 */
export const standardWebhookId = (eventId: string): string =>
  encodeURIComponent(eventId).replace(/\./g, '%2E');

/** `v1,` and the base64 HMAC-SHA256 of `<webhook-id>.<timestamp>.<body>`. */
export const standardWebhookSignature = (
  secret: string,
  webhookId: string,
  timestamp: number,
  body: string,
): string =>
  `v1,${createHmac('sha256', standardWebhookKey(secret)).update(`${webhookId}.${timestamp}.`).update(body).digest('base64')}`;
