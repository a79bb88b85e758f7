import { createPrivateKey, X509Certificate } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { algorithmOfKey } from './key-object-signing-key.js';

/** A private key and its certificate chain (leaf first), PEM-encoded, as the sealer takes them. */
export interface PemIdentity {
  readonly privateKeyPem: string;
  readonly certificateChainPem: string | ReadonlyArray<string>;
}

const CERTIFICATE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

const why = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause)).slice(0, 200);

/**
 * Whether a PEM signing identity will load in the sealer: the key parses and is one the sealer signs with (RSA, EC
 * P-256), every certificate of the chain parses, and the leaf certifies that very key. Node's crypto alone does it,
 * so the start check (`createParaphe`) refuses a broken identity without loading the PDF and ASN.1 libraries, which
 * wait for the first document. Left: why not, in English, for the INVALID_CONFIG it becomes.
 */
export const checkPemSigningIdentity = (identity: PemIdentity): E.Either<string, void> => {
  try {
    const key = createPrivateKey(identity.privateKeyPem);
    const algorithm = algorithmOfKey(key);
    if (E.isLeft(algorithm)) return algorithm;
    const chain =
      typeof identity.certificateChainPem === 'string'
        ? identity.certificateChainPem
        : identity.certificateChainPem.join('\n');
    const certificates = [...chain.matchAll(CERTIFICATE)].map(
      (block) => new X509Certificate(Buffer.from((block[1] ?? '').replace(/\s+/g, ''), 'base64')),
    );
    const leaf = certificates[0];
    if (leaf === undefined) return E.left('no certificate in the chain');
    if (!leaf.checkPrivateKey(key)) return E.left('the private key does not match the leaf certificate');
    return E.right(undefined);
  } catch (cause) {
    return E.left(why(cause));
  }
};
