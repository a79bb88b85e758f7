import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { type DomainError, domainError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';

/** Keys derived from the one configured secret, each for one purpose, none ever written to the database. */
export interface Secrets {
  readonly codeHashKey: Uint8Array;
  readonly linkKey: Uint8Array;
}

const derive = (secret: string, purpose: string): Uint8Array =>
  new Uint8Array(hkdfSync('sha256', secret, 'paraphe', purpose, 32));

export const deriveSecrets = (secretKey: string): Secrets => ({
  codeHashKey: derive(secretKey, 'sms-code-hash'),
  linkKey: derive(secretKey, 'signing-link-seal'),
});

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts a signing token (AES-256-GCM) bound to its procedure id, so a stolen database reveals no link and a
 * sealed token copied onto another procedure does not open.
 */
export const sealToken = (key: Uint8Array, token: string, procedureId: string, iv: Uint8Array): string => {
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(procedureId));
  const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
};

export const unsealToken = (
  key: Uint8Array,
  sealed: string,
  procedureId: string,
): E.Either<DomainError, string> =>
  E.tryCatch(
    () => {
      const bytes = Buffer.from(sealed, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES)).setAAD(
        Buffer.from(procedureId),
      );
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    },
    // Wrong key or altered data: the configured secret changed since the procedure was sent.
    () =>
      domainError('STORAGE_FAILURE', {
        reason: 'signing link cannot be unsealed with the configured secret',
      }),
  );
