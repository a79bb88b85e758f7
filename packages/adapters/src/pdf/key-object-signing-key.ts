import { constants, type KeyObject, privateEncrypt, sign } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import type { SignatureAlgorithm, SigningKey } from './signing-key.js';
import { signingKeyError } from './signing-key.js';

// DER of DigestInfo { AlgorithmIdentifier sha256 NULL, OCTET STRING (32) } before the digest: PKCS#1 v1.5 (RFC 8017
// §9.2) signs this encoding; a raw RSA operation on the bare digest verifies nowhere.
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as const;

/** The algorithm a PEM or PKCS#12 key signs with (RSA keys: PKCS#1 v1.5), or why it cannot be one of the sealer's. */
export const algorithmOfKey = (key: KeyObject): E.Either<string, SignatureAlgorithm> => {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return E.right('rsa-pkcs1v15-sha256');
    case 'ec':
      return key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
        ? E.right('ecdsa-p256-sha256')
        : E.left(`unsupported EC curve ${String(key.asymmetricKeyDetails?.namedCurve)}: P-256 only`);
    default:
      return E.left(`unsupported key type ${String(key.asymmetricKeyType)}`);
  }
};

const signWith = (
  key: KeyObject,
  algorithm: SignatureAlgorithm,
  digest: Uint8Array,
  signedData: Uint8Array,
) => {
  switch (algorithm) {
    case 'rsa-pkcs1v15-sha256':
      // crypto.sign would hash its input again; privateEncrypt with PKCS#1 padding is the bare RSA signature.
      return privateEncrypt(
        { key, padding: constants.RSA_PKCS1_PADDING },
        Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]),
      );
    // Node's crypto signs no precomputed digest with ECDSA or PSS (crypto.sign(null, …) hashes with SHA-256 too):
    // these hash the signed data themselves, as an HSM's *_SHA256 mechanism does.
    case 'rsa-pss-sha256':
      return sign('sha256', signedData, { key, ...PSS });
    case 'ecdsa-p256-sha256':
      return sign('sha256', signedData, key);
  }
};

/**
 * The in-process adapter of the port, behind PEM and PKCS#12 identities: the key object stays here, and the
 * sealer checks each signature against the leaf like any other key's.
 */
export const makeKeyObjectSigningKey = (
  privateKey: KeyObject,
  certificateChain: ReadonlyArray<Uint8Array>,
  algorithm: SignatureAlgorithm,
): SigningKey => ({
  certificateChain,
  algorithm,
  sign: (digest, signedData) => async () =>
    E.tryCatch(
      () => new Uint8Array(signWith(privateKey, algorithm, digest, signedData)),
      () => signingKeyError('the in-process key could not sign'),
    ),
});
