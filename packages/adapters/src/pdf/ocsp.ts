import { createHash, verify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CertificateRefused } from './certificate-refused.js';
import { issued } from './revocation-pointers.js';
import { hashOfSignatureAlgorithm } from './signature-algorithms.js';

const SHA1 = '1.3.14.3.2.26';
const BASIC_RESPONSE = '1.3.6.1.5.5.7.48.1.1';
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const EXTENDED_KEY_USAGE = '2.5.29.37';

/** Hash algorithms of the signature algorithms a responder may use (RSA PKCS#1 v1.5 and ECDSA). */
const buf = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;
const sha1 = (bytes: Uint8Array): Uint8Array => new Uint8Array(createHash('sha1').update(bytes).digest());
const der = (value: { toSchema(): asn1js.AsnType }): Uint8Array =>
  new Uint8Array(value.toSchema().toBER(false));
const same = (a: ArrayBuffer | Uint8Array, b: ArrayBuffer | Uint8Array): boolean =>
  Buffer.from(a as Uint8Array).equals(Buffer.from(b as Uint8Array));

/** RFC 6960 CertID with SHA-1, the hash every responder answers for. */
export const certIdFor = (certificate: pkijs.Certificate, issuer: pkijs.Certificate): pkijs.CertID =>
  new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA1, algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: buf(sha1(der(issuer.subject))) }),
    issuerKeyHash: new asn1js.OctetString({
      valueHex: buf(sha1(issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)),
    }),
    serialNumber: certificate.serialNumber,
  });

/** DER of an OCSP request for one certificate; no nonce, so a response can be cached and shared. */
export const ocspRequestFor = (certificate: pkijs.Certificate, issuer: pkijs.Certificate): Uint8Array => {
  const request = new pkijs.OCSPRequest({
    tbsRequest: new pkijs.TBSRequest({
      requestList: [new pkijs.Request({ reqCert: certIdFor(certificate, issuer) })],
    }),
  });
  // encodeFlag: a request built here has no DER of its own yet to reuse.
  return new Uint8Array(request.toSchema(true).toBER(false));
};

const sameCertId = (a: pkijs.CertID, b: pkijs.CertID): boolean =>
  a.hashAlgorithm.algorithmId === b.hashAlgorithm.algorithmId &&
  same(a.issuerNameHash.valueBlock.valueHexView, b.issuerNameHash.valueBlock.valueHexView) &&
  same(a.issuerKeyHash.valueBlock.valueHexView, b.issuerKeyHash.valueBlock.valueHexView) &&
  same(a.serialNumber.valueBlock.valueHexView, b.serialNumber.valueBlock.valueHexView);

const signedBy = (basic: pkijs.BasicOCSPResponse, signer: pkijs.Certificate): boolean => {
  const hash = hashOfSignatureAlgorithm(basic.signatureAlgorithm.algorithmId);
  if (hash === undefined) return false;
  return verify(
    hash,
    basic.tbsResponseData.tbsView,
    new X509Certificate(der(signer)).publicKey,
    basic.signature.valueBlock.valueHexView,
  );
};

// RFC 6960 §4.2.2.2: the issuer itself, or a responder it issued for id-kp-OCSPSigning.
const isAuthorisedResponder = (responder: pkijs.Certificate, issuer: pkijs.Certificate): boolean => {
  const usage = responder.extensions?.find((e) => e.extnID === EXTENDED_KEY_USAGE)?.parsedValue;
  return (
    usage instanceof pkijs.ExtKeyUsage &&
    usage.keyPurposes.includes(OCSP_SIGNING) &&
    issued(issuer, responder)
  );
};

export interface CheckedOcspResponse {
  readonly producedAt: Date;
  readonly nextUpdate: Date | undefined;
  /** DER of the delegated responder's certificates, which a validator needs too. */
  readonly responderCertificates: ReadonlyArray<Uint8Array>;
}

/**
 * Checks an OCSP response answers "good" for this certificate, is signed by its issuer or an authorised
 * responder, and is current at `now`; throws a secret-free reason otherwise.
 */
export const checkOcspResponse = (
  response: Uint8Array,
  certificate: pkijs.Certificate,
  issuer: pkijs.Certificate,
  now: Date,
): CheckedOcspResponse => {
  const parsed = pkijs.OCSPResponse.fromBER(buf(response));
  const status = parsed.responseStatus.valueBlock.valueDec;
  if (status !== 0) throw new Error(`OCSP responder answered status ${status}`);
  const bytes = parsed.responseBytes;
  if (bytes === undefined || bytes.responseType !== BASIC_RESPONSE)
    throw new Error('OCSP response is not a basic response');
  const basic = pkijs.BasicOCSPResponse.fromBER(bytes.response.valueBlock.valueHexView);
  const wanted = certIdFor(certificate, issuer);
  const single = basic.tbsResponseData.responses.find((r) => sameCertId(r.certID, wanted));
  if (single === undefined) throw new Error('OCSP response is for another certificate');
  const certStatus = single.certStatus as asn1js.BaseBlock;
  // CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1], unknown [2] }
  const tag = certStatus.idBlock.tagNumber;
  if (tag === 1) throw new CertificateRefused('certificate is revoked');
  if (tag !== 0) throw new CertificateRefused('OCSP responder does not know the certificate');
  const delegated = (basic.certs ?? []).filter((c) => isAuthorisedResponder(c, issuer));
  if (!signedBy(basic, issuer) && !delegated.some((c) => signedBy(basic, c)))
    throw new Error('OCSP response signature does not verify');
  if (single.thisUpdate.getTime() > now.getTime() + 5 * 60_000)
    throw new Error('OCSP response is from the future');
  if (single.nextUpdate !== undefined && single.nextUpdate.getTime() < now.getTime())
    throw new Error('OCSP response is out of date');
  return {
    producedAt: basic.tbsResponseData.producedAt,
    nextUpdate: single.nextUpdate,
    responderCertificates: delegated.map(der),
  };
};
