import { createHash, createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { type SealingError, sealingError } from '@paraphe/domain';
import type * as asn1js from 'asn1js';
import * as E from 'fp-ts/lib/Either.js';
import * as pkijs from 'pkijs';
import { algorithmOfKey, makeKeyObjectSigningKey } from './key-object-signing-key.js';
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm, type SigningKey } from './signing-key.js';

/** The platform key and its certificate chain (leaf first), as PEM text. */
export interface PemSigningIdentityConfig {
  readonly kind: 'pem';
  readonly privateKeyPem: string;
  /** Leaf first, then intermediates and root; one PEM string may hold several certificates. */
  readonly certificateChainPem: string | ReadonlyArray<string>;
}

/** A PKCS#12 (.p12/.pfx) file holding the key and its chain. */
export interface Pkcs12SigningIdentityConfig {
  readonly kind: 'pkcs12';
  readonly pkcs12: Uint8Array;
  readonly passphrase: string;
}

/** A key behind the signing-key port: a KMS, an HSM, another process. */
export interface KeySigningIdentityConfig {
  readonly kind: 'key';
  readonly key: SigningKey;
  /** How long one signature may take before the seal fails with SEALING_FAILURE; 10 000 ms by default. */
  readonly timeoutMs?: number;
}

const DEFAULT_KEY_TIMEOUT_MS = 10_000;

export type SigningIdentityConfig =
  | PemSigningIdentityConfig
  | Pkcs12SigningIdentityConfig
  | KeySigningIdentityConfig;

export type SignatureKeyType = 'rsa' | 'ec';

/** A ready-to-sign identity: the chain parsed once and reused for every seal, the key behind its port. */
export interface SigningIdentity {
  readonly key: SigningKey;
  /** A key out of process may hang; one in process answers at once and has none. */
  readonly signTimeoutMs: number | undefined;
  readonly algorithm: SignatureAlgorithm;
  readonly keyType: SignatureKeyType;
  /** The leaf's public key, which every signature the key answers must verify with before it is embedded. */
  readonly leafPublicKey: KeyObject;
  /** DER of every certificate, leaf first. */
  readonly certificatesDer: ReadonlyArray<Uint8Array>;
  readonly certificates: ReadonlyArray<pkijs.Certificate>;
  readonly leaf: pkijs.Certificate;
  readonly leafSha256: Uint8Array;
  /** Upper-case, colon-separated SHA-256 fingerprint of the leaf, as printed by validators. */
  readonly leafFingerprint: string;
  readonly subjectCommonName: string;
}

const failure = (reason: string): SealingError => sealingError('SEALING_FAILURE', { reason });

const pemBlocks = (pem: string, label: string): ReadonlyArray<Uint8Array> => {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...pem.matchAll(re)].map(
    (m) => new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')),
  );
};

export const parseCertificateDer = (der: Uint8Array): pkijs.Certificate =>
  pkijs.Certificate.fromBER(der.slice().buffer as ArrayBuffer);

const commonNameOf = (certificate: pkijs.Certificate): string => {
  const cn = certificate.subject.typesAndValues.find((tv) => tv.type === '2.5.4.3');
  return cn === undefined ? '' : String(cn.value.valueBlock.value);
};

const keyTypeOf = (algorithm: SignatureAlgorithm): SignatureKeyType =>
  algorithm === 'ecdsa-p256-sha256' ? 'ec' : 'rsa';

/** Builds the identity a key's chain describes; throws on a chain that cannot carry the key's algorithm. */
const identityOfKey = (key: SigningKey, signTimeoutMs: number | undefined): SigningIdentity => {
  if (!SIGNATURE_ALGORITHMS.includes(key.algorithm))
    throw new Error(`unsupported signature algorithm ${String(key.algorithm).slice(0, 40)}`);
  const certificatesDer = [...key.certificateChain];
  const leafDer = certificatesDer[0];
  if (leafDer === undefined) throw new Error('no certificate in the chain');
  const leafX509 = new X509Certificate(leafDer);
  const keyType = keyTypeOf(key.algorithm);
  const leafKey = leafX509.publicKey;
  if (leafKey.asymmetricKeyType !== keyType)
    throw new Error(`the leaf certificate holds a ${String(leafKey.asymmetricKeyType)} key, not ${keyType}`);
  if (keyType === 'ec' && leafKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new Error('the EC key of the leaf certificate is not on P-256');
  const certificates = certificatesDer.map(parseCertificateDer);
  const leaf = certificates[0]!;
  return {
    key,
    signTimeoutMs,
    algorithm: key.algorithm,
    keyType,
    leafPublicKey: leafKey,
    certificatesDer,
    certificates,
    leaf,
    leafSha256: new Uint8Array(createHash('sha256').update(leafDer).digest()),
    leafFingerprint: leafX509.fingerprint256,
    subjectCommonName: commonNameOf(leaf),
  };
};

/** Checks the key matches the leaf and wraps it as the in-process signing key; throws only on broken input. */
const buildIdentity = (
  privateKey: KeyObject,
  certificatesDer: ReadonlyArray<Uint8Array>,
): SigningIdentity => {
  const leafDer = certificatesDer[0];
  if (leafDer === undefined) throw new Error('no certificate in the chain');
  const algorithm = algorithmOfKey(privateKey);
  if (E.isLeft(algorithm)) throw new Error(algorithm.left);
  if (!new X509Certificate(leafDer).checkPrivateKey(privateKey))
    throw new Error('the private key does not match the leaf certificate');
  return identityOfKey(makeKeyObjectSigningKey(privateKey, certificatesDer, algorithm.right), undefined);
};

/** The identity of a key behind the port; Left SEALING_FAILURE when its chain cannot carry its algorithm. */
export const loadKeySigningIdentity = (
  config: KeySigningIdentityConfig,
): E.Either<SealingError, SigningIdentity> =>
  E.tryCatch(
    () => identityOfKey(config.key, config.timeoutMs ?? DEFAULT_KEY_TIMEOUT_MS),
    (e) => failure(`invalid signing key: ${e instanceof Error ? e.message : String(e)}`),
  );

/** Parses a PEM identity synchronously, so the sealer pays the cost once at make time. */
export const loadPemSigningIdentity = (
  config: PemSigningIdentityConfig,
): E.Either<SealingError, SigningIdentity> =>
  E.tryCatch(
    () => {
      const chainText =
        typeof config.certificateChainPem === 'string'
          ? config.certificateChainPem
          : config.certificateChainPem.join('\n');
      return buildIdentity(createPrivateKey(config.privateKeyPem), pemBlocks(chainText, 'CERTIFICATE'));
    },
    (e) => failure(`invalid signing identity: ${e instanceof Error ? e.message : String(e)}`),
  );

export const identityFromParts = (
  privateKeyDer: Uint8Array,
  certificatesDer: ReadonlyArray<Uint8Array>,
): SigningIdentity =>
  buildIdentity(
    createPrivateKey({ key: Buffer.from(privateKeyDer), format: 'der', type: 'pkcs8' }),
    certificatesDer,
  );

export const certificateToPem = (der: Uint8Array): string =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;

export const toDer = (value: { toSchema(): asn1js.AsnType }): Uint8Array =>
  new Uint8Array(value.toSchema().toBER(false));
