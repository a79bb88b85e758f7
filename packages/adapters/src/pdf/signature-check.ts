import { constants, verify } from 'node:crypto';
import { type SealingError, sealingError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { ecdsaSignatureToDer } from './ecdsa-signature.js';
import type { SigningIdentity } from './signing-identity.js';

const refused = (reason: string): SealingError => sealingError('SEALING_FAILURE', { reason });

const verifies = (
  signedData: Uint8Array,
  key: Parameters<typeof verify>[2],
  signature: Uint8Array,
): boolean => {
  try {
    return verify('sha256', signedData, key, signature);
  } catch {
    // OpenSSL throws on some malformed signatures instead of answering false.
    return false;
  }
};

/**
 * The signature as CMS stores it, once it verifies with the leaf's public key over the signed data: a key that
 * is not the leaf's (a KMS pointed at another key), or that answers garbage, fails here rather than in a PDF.
 */
export const checkedSignature = (
  identity: SigningIdentity,
  signedData: Uint8Array,
  answered: unknown,
): E.Either<SealingError, Uint8Array> => {
  if (!(answered instanceof Uint8Array))
    return E.left(refused('the signing key answered something other than bytes'));
  const signature = identity.algorithm === 'ecdsa-p256-sha256' ? ecdsaSignatureToDer(answered) : answered;
  if (signature === undefined) return E.left(refused('the signing key answered no ECDSA signature'));
  const key =
    identity.algorithm === 'rsa-pss-sha256'
      ? { key: identity.leafPublicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : identity.leafPublicKey;
  return verifies(signedData, key, signature)
    ? E.right(signature)
    : E.left(refused('the signature of the signing key does not verify with the leaf certificate'));
};
