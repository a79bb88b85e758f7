import { createHash, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { certificateToPem, type PemSigningIdentityConfig } from './signing-identity.js';

export type DevelopmentKeyAlgorithm = 'rsa-2048' | 'ecdsa-p256';

export interface DevelopmentIdentityOptions {
  readonly keyAlgorithm?: DevelopmentKeyAlgorithm;
  /** Start of validity; defaults to the current time (a development tool, not a domain transition). */
  readonly notBefore?: Date;
  readonly commonName?: string;
  /** An OCSP responder the leaf names in its Authority Information Access, for PAdES B-LT revocation data. */
  readonly ocspUrl?: string;
  /** Where the root's CRL is published, named in the leaf's CRL distribution points. */
  readonly crlUrl?: string;
}

/** A root CA and a leaf it issued, generated in memory: enough for validators that trust the root. */
export interface DevelopmentSigningIdentity extends PemSigningIdentityConfig {
  readonly rootCertificatePem: string;
  readonly leafCertificatePem: string;
}

export const DEVELOPMENT_ROOT_NAME = 'Paraphe DEVELOPMENT root — not for production';
const YEAR_MS = 365 * 24 * 3600 * 1000;
const OID = {
  cn: '2.5.4.3',
  o: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  ski: '2.5.29.14',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocspAccess: '1.3.6.1.5.5.7.48.1',
  crlDistributionPoints: '2.5.29.31',
};

/** What a certificate is for: its key usage, extended key usage and where its revocation status is answered. */
export interface DevelopmentCertificateProfile {
  readonly isCa: boolean;
  /** The first byte of the KeyUsage BIT STRING (bit 0 = 0x80, digitalSignature). */
  readonly keyUsageBits: number;
  /** A critical extended key usage (RFC 3161 §2.3 wants id-kp-timeStamping alone and critical on a TSA). */
  readonly extendedKeyUsage?: string;
  readonly ocspUrl?: string;
  readonly crlUrl?: string;
}

const keyParams = (
  algorithm: DevelopmentKeyAlgorithm,
): webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams =>
  algorithm === 'rsa-2048'
    ? {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      }
    : { name: 'ECDSA', namedCurve: 'P-256' };

// One attribute per RDN set (pkijs would put them all in one multi-valued RDN).
const name = (commonName: string, organisation: string): pkijs.RelativeDistinguishedNames => {
  const rdn = (type: string, value: string) =>
    new asn1js.Set({
      value: [new pkijs.AttributeTypeAndValue({ type, value: new asn1js.Utf8String({ value }) }).toSchema()],
    });
  const sequence = new asn1js.Sequence({ value: [rdn(OID.o, organisation), rdn(OID.cn, commonName)] });
  return pkijs.RelativeDistinguishedNames.fromBER(sequence.toBER(false));
};

// KeyUsage is a named BIT STRING: DER drops its trailing zero bits, counted as unused in the last byte.
const keyUsage = (bits: number): pkijs.Extension => {
  let unusedBits = 0;
  while (unusedBits < 7 && ((bits >> unusedBits) & 1) === 0) unusedBits += 1;
  return new pkijs.Extension({
    extnID: OID.keyUsage,
    critical: true,
    extnValue: new asn1js.BitString({ valueHex: new Uint8Array([bits]).buffer, unusedBits }).toBER(false),
  });
};

const extension = (
  extnID: string,
  critical: boolean,
  value: { toSchema(): asn1js.AsnType },
): pkijs.Extension => new pkijs.Extension({ extnID, critical, extnValue: value.toSchema().toBER(false) });

export interface Issued {
  readonly certificate: pkijs.Certificate;
  readonly keys: CryptoKeyPair;
}

const issue = async (
  algorithm: DevelopmentKeyAlgorithm,
  subject: pkijs.RelativeDistinguishedNames,
  issuer: { readonly name: pkijs.RelativeDistinguishedNames; readonly privateKey: CryptoKey } | undefined,
  validity: { readonly from: Date; readonly to: Date },
  profile: DevelopmentCertificateProfile,
): Promise<Issued> => {
  const { isCa } = profile;
  const keys = (await webcrypto.subtle.generateKey(keyParams(algorithm), true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  const serial = webcrypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial.buffer });
  certificate.subject = subject;
  certificate.issuer = issuer?.name ?? subject;
  certificate.notBefore.value = validity.from;
  certificate.notAfter.value = validity.to;
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey);
  const spki = new Uint8Array(certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
  const keyId = new Uint8Array(createHash('sha1').update(spki).digest());
  certificate.extensions = [
    extension(
      OID.basicConstraints,
      true,
      new pkijs.BasicConstraints(isCa ? { cA: true, pathLenConstraint: 0 } : {}),
    ),
    keyUsage(profile.keyUsageBits),
    new pkijs.Extension({
      extnID: OID.ski,
      critical: false,
      extnValue: new asn1js.OctetString({ valueHex: keyId.buffer }).toBER(false),
    }),
    ...(profile.extendedKeyUsage === undefined
      ? []
      : [
          extension(
            OID.extKeyUsage,
            true,
            new pkijs.ExtKeyUsage({ keyPurposes: [profile.extendedKeyUsage] }),
          ),
        ]),
    ...(profile.ocspUrl === undefined
      ? []
      : [
          extension(
            OID.authorityInfoAccess,
            false,
            new pkijs.InfoAccess({
              accessDescriptions: [
                new pkijs.AccessDescription({
                  accessMethod: OID.ocspAccess,
                  accessLocation: new pkijs.GeneralName({ type: 6, value: profile.ocspUrl }),
                }),
              ],
            }),
          ),
        ]),
    ...(profile.crlUrl === undefined
      ? []
      : [
          extension(
            OID.crlDistributionPoints,
            false,
            new pkijs.CRLDistributionPoints({
              distributionPoints: [
                new pkijs.DistributionPoint({
                  distributionPoint: [new pkijs.GeneralName({ type: 6, value: profile.crlUrl })],
                }),
              ],
            }),
          ),
        ]),
  ];
  await certificate.sign(issuer?.privateKey ?? keys.privateKey, 'SHA-256');
  return { certificate, keys };
};

export const pemOf = (certificate: pkijs.Certificate): string =>
  certificateToPem(new Uint8Array(certificate.toSchema().toBER(false)));

export const privateKeyPemOf = async (key: CryptoKey): Promise<string> => {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key)).toString('base64');
  return `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/.{1,64}/g, '$&\n')}-----END PRIVATE KEY-----\n`;
};

/** The development root with its key: what issues the signer, the TSA and signs OCSP answers. */
export interface DevelopmentAuthority extends Issued {
  readonly algorithm: DevelopmentKeyAlgorithm;
  readonly name: pkijs.RelativeDistinguishedNames;
  /** Validity of everything it issues starts here (an hour back, for clocks slightly behind). */
  readonly from: Date;
}

export const generateDevelopmentAuthority = async (
  options: Pick<DevelopmentIdentityOptions, 'keyAlgorithm' | 'notBefore'> = {},
): Promise<DevelopmentAuthority> => {
  const algorithm = options.keyAlgorithm ?? 'rsa-2048';
  const from = new Date((options.notBefore ?? new Date()).getTime() - 3600 * 1000);
  const rootName = name(DEVELOPMENT_ROOT_NAME, 'Paraphe DEVELOPMENT');
  // keyCertSign|cRLSign: the root also signs its OCSP answers itself (RFC 6960 §4.2.2.2 allows the issuing CA).
  const root = await issue(
    algorithm,
    rootName,
    undefined,
    { from, to: new Date(from.getTime() + 10 * YEAR_MS) },
    {
      isCa: true,
      keyUsageBits: 0x06,
    },
  );
  return { ...root, algorithm, name: rootName, from };
};

/** A certificate under the development root, valid two years from the authority's start. */
export const issueDevelopmentCertificate = (
  authority: DevelopmentAuthority,
  commonName: string,
  profile: DevelopmentCertificateProfile,
): Promise<Issued> =>
  issue(
    authority.algorithm,
    name(commonName, 'Paraphe DEVELOPMENT — not for production'),
    { name: authority.name, privateKey: authority.keys.privateKey },
    { from: authority.from, to: new Date(authority.from.getTime() + 2 * YEAR_MS) },
    profile,
  );

/** The signing leaf (digitalSignature|nonRepudiation) under a given development root. */
export const developmentSigningIdentityUnder = async (
  authority: DevelopmentAuthority,
  options: Pick<DevelopmentIdentityOptions, 'commonName' | 'ocspUrl' | 'crlUrl'> = {},
): Promise<DevelopmentSigningIdentity> => {
  const leaf = await issueDevelopmentCertificate(
    authority,
    options.commonName ?? 'Paraphe DEVELOPMENT signer',
    {
      isCa: false,
      keyUsageBits: 0xc0,
      ...(options.ocspUrl === undefined ? {} : { ocspUrl: options.ocspUrl }),
      ...(options.crlUrl === undefined ? {} : { crlUrl: options.crlUrl }),
    },
  );
  const leafCertificatePem = pemOf(leaf.certificate);
  const rootCertificatePem = pemOf(authority.certificate);
  return {
    kind: 'pem',
    privateKeyPem: await privateKeyPemOf(leaf.keys.privateKey),
    certificateChainPem: [leafCertificatePem, rootCertificatePem],
    rootCertificatePem,
    leafCertificatePem,
  };
};

/** Creates "Paraphe DEVELOPMENT root — not for production" and a signing leaf under it; never use in production. */
export const generateDevelopmentSigningIdentity = async (
  options: DevelopmentIdentityOptions = {},
): Promise<DevelopmentSigningIdentity> =>
  developmentSigningIdentityUnder(await generateDevelopmentAuthority(options), options);
