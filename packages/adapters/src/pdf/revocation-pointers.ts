import { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';

const AIA = '1.3.6.1.5.5.7.1.1';
const OCSP_ACCESS_METHOD = '1.3.6.1.5.5.7.48.1';
const CA_ISSUERS_ACCESS_METHOD = '1.3.6.1.5.5.7.48.2';
const CRL_DISTRIBUTION_POINTS = '2.5.29.31';
const URI = 6;

const httpUrl = (value: unknown): string | undefined =>
  typeof value === 'string' && /^https?:\/\//i.test(value) ? value : undefined;

const accessUrlOf = (certificate: pkijs.Certificate, method: string): string | undefined => {
  const parsed = certificate.extensions?.find((e) => e.extnID === AIA)?.parsedValue;
  if (!(parsed instanceof pkijs.InfoAccess)) return undefined;
  for (const description of parsed.accessDescriptions) {
    const location = description.accessLocation;
    if (description.accessMethod === method && location.type === URI) {
      const url = httpUrl(location.value);
      if (url !== undefined) return url;
    }
  }
  return undefined;
};

/** The first HTTP OCSP responder named in the certificate's Authority Information Access. */
export const ocspUrlOf = (certificate: pkijs.Certificate): string | undefined =>
  accessUrlOf(certificate, OCSP_ACCESS_METHOD);

/** Where the certificate's issuer certificate can be downloaded (AIA caIssuers, RFC 5280 §4.2.2.1). */
export const caIssuersUrlOf = (certificate: pkijs.Certificate): string | undefined =>
  accessUrlOf(certificate, CA_ISSUERS_ACCESS_METHOD);

/** The first HTTP URL among the certificate's CRL distribution points. */
export const crlUrlOf = (certificate: pkijs.Certificate): string | undefined => {
  const parsed = certificate.extensions?.find((e) => e.extnID === CRL_DISTRIBUTION_POINTS)?.parsedValue;
  if (!(parsed instanceof pkijs.CRLDistributionPoints)) return undefined;
  for (const point of parsed.distributionPoints) {
    const names = point.distributionPoint;
    if (!Array.isArray(names)) continue;
    for (const name of names) {
      const url = name.type === URI ? httpUrl(name.value) : undefined;
      if (url !== undefined) return url;
    }
  }
  return undefined;
};

const derOf = (certificate: pkijs.Certificate): Uint8Array =>
  new Uint8Array(certificate.toSchema().toBER(false));

/** Whether `issuer` signed `certificate` (names match and the signature verifies). */
export const issued = (issuer: pkijs.Certificate, certificate: pkijs.Certificate): boolean => {
  const child = new X509Certificate(derOf(certificate));
  const parent = new X509Certificate(derOf(issuer));
  return child.checkIssued(parent) && child.verify(parent.publicKey);
};
