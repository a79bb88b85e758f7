import { constants, createHash, verify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const DIGESTS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

// Signature algorithms whose OID names the digest too; rsaEncryption, RSASSA-PSS and Ed25519 are handled apart.
const SIGNATURE_DIGESTS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  ed25519: '1.3.101.112',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

export const digestName = (oid: string): string | undefined => DIGESTS[oid];

export const digestOf = (algorithm: string, ...parts: ReadonlyArray<Uint8Array>): Buffer => {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const bytes = (view: ArrayBuffer | Uint8Array): Buffer =>
  view instanceof Uint8Array ? Buffer.from(view.buffer, view.byteOffset, view.byteLength) : Buffer.from(view);

/**
 * The exact bytes of a view as an ArrayBuffer, for pkijs's fromBER. Not `slice().buffer`: on a Node Buffer, slice is
 * a view and its buffer the whole pool.
 */
export const arrayBufferOf = (view: Uint8Array): ArrayBuffer =>
  view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer;

export const attributeValue = (
  attributes: pkijs.SignedAndUnsignedAttributes | undefined,
  oid: string,
): asn1js.AsnType | undefined => attributes?.attributes.find((a) => a.type === oid)?.values[0];

/** Parses DER (or BER) CMS ContentInfo holding SignedData; throws on anything else. */
export const parseSignedData = (der: ArrayBuffer | Uint8Array): pkijs.SignedData => {
  const parsed = asn1js.fromBER(bytes(der));
  if (parsed.offset === -1) throw new Error(parsed.result.error || 'not DER');
  const info = new pkijs.ContentInfo({ schema: parsed.result });
  if (info.contentType !== '1.2.840.113549.1.7.2') throw new Error(`not SignedData (${info.contentType})`);
  return new pkijs.SignedData({ schema: info.content });
};

export const x509Of = (certificate: pkijs.Certificate): X509Certificate =>
  new X509Certificate(Buffer.from(certificate.toSchema().toBER(false)));

/**
 * Whether OpenSSL reads the certificate too. pkijs accepts some damaged encodings OpenSSL refuses (a changed byte
 * in a length); such a certificate is unreadable for the verifier, which then reports what it lacks, never throws.
 */
export const readableCertificate = (certificate: pkijs.Certificate): boolean => {
  try {
    x509Of(certificate);
    return true;
  } catch {
    return false;
  }
};

export const certificatesOf = (signedData: pkijs.SignedData): ReadonlyArray<pkijs.Certificate> =>
  (signedData.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate && readableCertificate(c),
  );

/** Verifies a raw signature (CMS, OCSP, CRL) made with `algorithm` by the certificate's key; false on any error. */
export const verifiesWithCertificate = (
  algorithm: string,
  digest: string,
  signed: Uint8Array,
  value: Uint8Array,
  certificate: pkijs.Certificate,
): boolean => {
  try {
    const key = x509Of(certificate).publicKey;
    if (algorithm === OID.ed25519) return verify(null, signed, key, value);
    if (algorithm === OID.rsaPss)
      return verify(
        digest,
        signed,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
        value,
      );
    const named = SIGNATURE_DIGESTS[algorithm];
    if (named === undefined && algorithm !== OID.rsaEncryption && key.asymmetricKeyType !== 'ec')
      return false;
    return verify(named ?? digest, signed, key, value);
  } catch {
    return false;
  }
};

/** The digest a signature algorithm names (sha256WithRSAEncryption → sha256), else `fallback`. */
export const signatureDigest = (algorithm: string, fallback = 'sha256'): string =>
  SIGNATURE_DIGESTS[algorithm] ?? fallback;

const verifiesWith = (
  signer: pkijs.SignerInfo,
  digest: string,
  signed: Buffer,
  certificate: pkijs.Certificate,
): boolean =>
  verifiesWithCertificate(
    signer.signatureAlgorithm.algorithmId,
    digest,
    signed,
    bytes(signer.signature.valueBlock.valueHexView),
    certificate,
  );

const sameIssuerAndSerial = (sid: unknown, certificate: pkijs.Certificate): boolean =>
  sid instanceof pkijs.IssuerAndSerialNumber &&
  certificate.serialNumber.isEqual(sid.serialNumber) &&
  certificate.issuer.isEqual(sid.issuer);

/** The hash an ESS signing-certificate attribute (v1: SHA-1, v2: SHA-256 by default) binds, or why it cannot. */
const essCertHash = (
  value: asn1js.AsnType,
  v2: boolean,
): { readonly algorithm: string; readonly hash: Buffer } | undefined => {
  const certs = (value as asn1js.Sequence).valueBlock?.value?.[0] as asn1js.Sequence | undefined;
  const first = certs?.valueBlock?.value?.[0] as asn1js.Sequence | undefined;
  const [head, next] = first?.valueBlock?.value ?? [];
  if (head instanceof asn1js.OctetString)
    return { algorithm: v2 ? 'sha256' : 'sha1', hash: bytes(head.valueBlock.valueHexView) };
  if (v2 && head instanceof asn1js.Sequence && next instanceof asn1js.OctetString) {
    const oid = head.valueBlock.value[0];
    const algorithm = oid instanceof asn1js.ObjectIdentifier ? DIGESTS[oid.valueBlock.toString()] : undefined;
    return algorithm === undefined ? undefined : { algorithm, hash: bytes(next.valueBlock.valueHexView) };
  }
  return undefined;
};

export interface SignerInfoCheck {
  readonly digestAlgorithm: string;
  /** The messageDigest attribute equals the hash of the signed content. */
  readonly digestMatches: boolean;
  /** The signature value verifies, over the signed attributes, with the certificate found for the signer. */
  readonly signatureVerifies: boolean;
  /** The signing-certificate(-v2) attribute names the certificate that verified; undefined when absent. */
  readonly signingCertificateBound?: boolean;
  readonly certificate?: pkijs.Certificate;
  readonly signer: pkijs.SignerInfo;
}

/**
 * Checks the first signer of a SignedData against the content it signs (`contentParts`, hashed with the signer's
 * digest algorithm). The signer's certificate is the one its sid names among `certificates` (the CMS's own, then
 * any extra ones, e.g. the /DSS's); with a key identifier sid, the first certificate whose key verifies.
 */
export const checkSignerInfo = (
  signedData: pkijs.SignedData,
  contentParts: ReadonlyArray<Uint8Array>,
  extraCertificates: ReadonlyArray<pkijs.Certificate> = [],
): SignerInfoCheck => {
  const signer = signedData.signerInfos[0];
  if (signer === undefined) throw new Error('no signer');
  if (signer.signedAttrs === undefined) throw new Error('no signed attributes');
  const digest = DIGESTS[signer.digestAlgorithm.algorithmId];
  if (digest === undefined) throw new Error(`unknown digest algorithm ${signer.digestAlgorithm.algorithmId}`);
  const contentDigest = digestOf(digest, ...contentParts);
  const messageDigest = attributeValue(signer.signedAttrs, OID.messageDigest) as
    | asn1js.OctetString
    | undefined;
  const digestMatches =
    messageDigest !== undefined && bytes(messageDigest.valueBlock.valueHexView).equals(contentDigest);
  // The signature covers the attributes re-tagged as a universal SET (RFC 5652 §5.4).
  const encoded = signer.signedAttrs.encodedValue;
  const signedBytes = Buffer.from(
    encoded.byteLength > 0 ? encoded : signer.signedAttrs.toSchema().toBER(false),
  );
  signedBytes[0] = 0x31;
  const pool = [...certificatesOf(signedData), ...extraCertificates];
  const named = pool.filter((c) => sameIssuerAndSerial(signer.sid, c));
  const candidates = named.length > 0 ? named : signer.sid instanceof pkijs.IssuerAndSerialNumber ? [] : pool;
  const certificate = candidates.find((c) => verifiesWith(signer, digest, signedBytes, c));
  const ess =
    attributeValue(signer.signedAttrs, OID.signingCertificateV2) ??
    attributeValue(signer.signedAttrs, OID.signingCertificate);
  const v2 = attributeValue(signer.signedAttrs, OID.signingCertificateV2) !== undefined;
  const bound = certificate ?? named[0];
  let signingCertificateBound: boolean | undefined;
  if (ess !== undefined) {
    const binding = essCertHash(ess, v2);
    signingCertificateBound =
      binding !== undefined &&
      bound !== undefined &&
      digestOf(binding.algorithm, new Uint8Array(bound.toSchema().toBER(false))).equals(binding.hash);
  }
  return {
    digestAlgorithm: digest,
    digestMatches,
    signatureVerifies: certificate !== undefined,
    ...(signingCertificateBound === undefined ? {} : { signingCertificateBound }),
    ...(bound === undefined ? {} : { certificate: bound }),
    signer,
  };
};
