// Runs in a worker thread (see worker-signing-key.ts): the key is generated here and never leaves; the main
// thread gets the certificate chain and, for each digest it posts, a signature.
import { createPrivateKey, type KeyObject, sign as nodeSign } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { type DevelopmentKeyAlgorithm, generateDevelopmentSigningIdentity } from '../development-identity.js';
import { makeKeyObjectSigningKey } from '../key-object-signing-key.js';
import type { SignatureAlgorithm } from '../signing-key.js';
import { pemToDer } from './development-key.js';

interface HeldKey {
  readonly key: KeyObject;
  readonly algorithm: SignatureAlgorithm;
  readonly certificateChain: ReadonlyArray<Uint8Array>;
}

let held: HeldKey | undefined;

/** Generates a development identity in this thread; answers only what is public. */
export const generate = async (
  keyAlgorithm: DevelopmentKeyAlgorithm,
): Promise<{
  certificateChain: ReadonlyArray<Uint8Array>;
  rootCertificatePem: string;
  algorithm: SignatureAlgorithm;
}> => {
  const identity = await generateDevelopmentSigningIdentity({
    keyAlgorithm,
    commonName: 'Paraphe worker key',
  });
  const chain = identity.certificateChainPem as ReadonlyArray<string>;
  const algorithm: SignatureAlgorithm =
    keyAlgorithm === 'ecdsa-p256' ? 'ecdsa-p256-sha256' : 'rsa-pkcs1v15-sha256';
  held = { key: createPrivateKey(identity.privateKeyPem), algorithm, certificateChain: chain.map(pemToDer) };
  return {
    certificateChain: held.certificateChain,
    rootCertificatePem: identity.rootCertificatePem,
    algorithm,
  };
};

/**
 * Signs like a device would: RSA through the in-process adapter over the bare digest; ECDSA answering raw r‖s, as
 * WebCrypto and PKCS#11 do, which the sealer must re-encode as DER.
 */
export const sign = async (digest: Uint8Array, signedData: Uint8Array): Promise<Uint8Array> => {
  if (held === undefined) throw new Error('no key generated in this worker');
  if (held.algorithm === 'ecdsa-p256-sha256')
    return new Uint8Array(nodeSign('sha256', signedData, { key: held.key, dsaEncoding: 'ieee-p1363' }));
  const signed = await makeKeyObjectSigningKey(held.key, held.certificateChain, held.algorithm).sign(
    digest,
    new Uint8Array(0),
  )();
  if (E.isLeft(signed)) throw new Error(signed.left.reason);
  return signed.right;
};
