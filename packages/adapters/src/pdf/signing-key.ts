import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';

/** The signature algorithms a CMS SignerInfo of the sealer can name; the hash is always SHA-256. */
export type SignatureAlgorithm = 'rsa-pkcs1v15-sha256' | 'rsa-pss-sha256' | 'ecdsa-p256-sha256';

export const SIGNATURE_ALGORITHMS: ReadonlyArray<SignatureAlgorithm> = [
  'rsa-pkcs1v15-sha256',
  'rsa-pss-sha256',
  'ecdsa-p256-sha256',
];

/** Why a signing key gave no signature; `reason` is a short sentence free of secrets, key ids and hosts. */
export interface SigningKeyError {
  readonly _tag: 'SigningKeyError';
  readonly reason: string;
}

export const signingKeyError = (reason: string): SigningKeyError => ({ _tag: 'SigningKeyError', reason });

/**
 * The platform's signing key wherever it lives (this process, a worker, a KMS, an HSM): the sealer never sees
 * key bytes, only the chain and what `sign` answers, and checks every signature against the leaf before using it.
 */
export interface SigningKey {
  /** DER of every certificate, leaf first; the leaf's public key is the key's. */
  readonly certificateChain: ReadonlyArray<Uint8Array>;
  readonly algorithm: SignatureAlgorithm;
  /**
   * Signs `digest`, the SHA-256 of the DER signed attributes (what a KMS `Sign` with a DIGEST message takes).
   * `signedData` is what was hashed, for keys whose API hashes itself (WebCrypto, PKCS#11 `CKM_ECDSA_SHA256`, Node's
   * ECDSA); a KMS ignores it. ECDSA may answer DER `ECDSA-Sig-Value` or raw r‖s (64 bytes).
   */
  readonly sign: (digest: Uint8Array, signedData: Uint8Array) => TE.TaskEither<SigningKeyError, Uint8Array>;
}

/** The same key written with async functions: a throw or a rejection is a failed signature. */
export interface AsyncSigningKey {
  readonly certificateChain: ReadonlyArray<Uint8Array>;
  readonly algorithm: SignatureAlgorithm;
  readonly sign: (digest: Uint8Array, signedData: Uint8Array) => Promise<Uint8Array>;
}

/** The port over a key written with async/await. Its error message is not kept: it may name key ids or hosts. */
export const fromAsyncSigningKey = (key: AsyncSigningKey): SigningKey => ({
  certificateChain: key.certificateChain,
  algorithm: key.algorithm,
  sign: (digest, signedData) => async () => {
    try {
      const signature: unknown = await key.sign(digest, signedData);
      return signature instanceof Uint8Array
        ? E.right(signature)
        : E.left(signingKeyError('the signing key answered something other than bytes'));
    } catch {
      return E.left(signingKeyError('the signing key failed'));
    }
  },
});
