import { createHash, createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { type DomainError, domainError } from '@paraphe/domain';
import type * as asn1js from 'asn1js';
import * as E from 'fp-ts/lib/Either.js';
import * as pkijs from 'pkijs';

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

export type SigningIdentityConfig = PemSigningIdentityConfig | Pkcs12SigningIdentityConfig;

export type SignatureKeyType = 'rsa' | 'ec';

/** A parsed, ready-to-sign identity: parsed once, reused for every seal. */
export interface SigningIdentity {
  readonly privateKey: KeyObject;
  readonly keyType: SignatureKeyType;
  /** DER of every certificate, leaf first. */
  readonly certificatesDer: ReadonlyArray<Uint8Array>;
  readonly certificates: ReadonlyArray<pkijs.Certificate>;
  readonly leaf: pkijs.Certificate;
  readonly leafSha256: Uint8Array;
  /** Upper-case, colon-separated SHA-256 fingerprint of the leaf, as printed by validators. */
  readonly leafFingerprint: string;
  readonly subjectCommonName: string;
}

const failure = (reason: string): DomainError => domainError('SEALING_FAILURE', { reason });

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

/** Checks the key matches the leaf and builds the identity; throws only on broken input, caught by callers. */
const buildIdentity = (
  privateKey: KeyObject,
  certificatesDer: ReadonlyArray<Uint8Array>,
): SigningIdentity => {
  const leafDer = certificatesDer[0];
  if (leafDer === undefined) throw new Error('no certificate in the chain');
  const keyType = privateKey.asymmetricKeyType;
  if (keyType !== 'rsa' && keyType !== 'ec') throw new Error(`unsupported key type ${String(keyType)}`);
  const leafX509 = new X509Certificate(leafDer);
  if (!leafX509.checkPrivateKey(privateKey))
    throw new Error('the private key does not match the leaf certificate');
  const certificates = certificatesDer.map(parseCertificateDer);
  const leaf = certificates[0]!;
  return {
    privateKey,
    keyType,
    certificatesDer,
    certificates,
    leaf,
    leafSha256: new Uint8Array(createHash('sha256').update(leafDer).digest()),
    leafFingerprint: leafX509.fingerprint256,
    subjectCommonName: commonNameOf(leaf),
  };
};

/** Parses a PEM identity synchronously, so the sealer pays the cost once at make time. */
export const loadPemSigningIdentity = (
  config: PemSigningIdentityConfig,
): E.Either<DomainError, SigningIdentity> =>
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
