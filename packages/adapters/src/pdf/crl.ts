import { createVerify, X509Certificate } from 'node:crypto';
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CertificateRefused } from './certificate-refused.js';
import { hashOfSignatureAlgorithm } from './signature-algorithms.js';

const der = (value: { toSchema(): asn1js.AsnType }): Uint8Array =>
  new Uint8Array(value.toSchema().toBER(false));
const same = (a: ArrayBuffer | Uint8Array, b: ArrayBuffer | Uint8Array): boolean =>
  Buffer.from(a as Uint8Array).equals(Buffer.from(b as Uint8Array));

export interface CheckedCrl {
  readonly nextUpdate: Date | undefined;
}

/**
 * Checks a CRL is the issuer's, signed by it, current at `now`, and does not list the certificate; throws a
 * secret-free reason otherwise.
 */
export const checkCrl = (
  crlDer: Uint8Array,
  certificate: pkijs.Certificate,
  issuer: pkijs.Certificate,
  now: Date,
): CheckedCrl => {
  const crl = pkijs.CertificateRevocationList.fromBER(crlDer.slice().buffer as ArrayBuffer);
  if (!same(der(crl.issuer), der(issuer.subject))) throw new Error('CRL is from another issuer');
  const hash = hashOfSignatureAlgorithm(crl.signatureAlgorithm.algorithmId);
  const verifier = hash === undefined ? undefined : createVerify(hash).update(crl.tbsView);
  if (
    verifier === undefined ||
    !verifier.verify(new X509Certificate(der(issuer)).publicKey, crl.signatureValue.valueBlock.valueHexView)
  )
    throw new Error('CRL signature does not verify');
  const nextUpdate = crl.nextUpdate?.value;
  if (nextUpdate !== undefined && nextUpdate.getTime() < now.getTime()) throw new Error('CRL is out of date');
  const serial = certificate.serialNumber.valueBlock.valueHexView;
  if ((crl.revokedCertificates ?? []).some((r) => same(r.userCertificate.valueBlock.valueHexView, serial)))
    throw new CertificateRefused('certificate is revoked');
  return { nextUpdate };
};
