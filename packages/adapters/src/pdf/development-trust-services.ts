import { KeyObject } from 'node:crypto';
import type { Clock } from '@paraphe/domain';
import { makeSystemClock } from '../clock/clocks.js';
import { startDevelopmentCrlDistribution } from './development-crl.js';
import {
  type DevelopmentKeyAlgorithm,
  type DevelopmentSigningIdentity,
  developmentSigningIdentityUnder,
  generateDevelopmentAuthority,
  pemOf,
} from './development-identity.js';
import { type CertificateStatus, serialHex, startDevelopmentOcspResponder } from './development-ocsp.js';
import { issueDevelopmentTimestampSigner, startDevelopmentTsa } from './development-tsa.js';
import { parseCertificateDer } from './signing-identity.js';

export interface DevelopmentTrustServicesOptions {
  /** genTime of tokens, thisUpdate of OCSP answers and the certificates' start; the system clock by default. */
  readonly clock?: Clock;
  readonly keyAlgorithm?: DevelopmentKeyAlgorithm;
  readonly commonName?: string;
  /** 0 (any free port) by default. */
  readonly tsaPort?: number;
  readonly ocspPort?: number;
  readonly crlPort?: number;
  /**
   * What the leaf and the TSA certificate name: `'ocsp'` (default) the responder in their AIA and the CRL in their
   * distribution points; `'crl'` the CRL only. Poppler checks an AIA responder online and, once the services are
   * closed, calls the certificate "Unknown issue"; with `'crl'` a file stays trusted after they are gone (the /DSS
   * then carries the CRL instead of OCSP answers).
   */
  readonly revocationPointers?: 'ocsp' | 'crl';
}

/** A DEVELOPMENT PKI on loopback: what `pnpm demo` needs to seal at B-LTA with no outside service. */
export interface DevelopmentTrustServices {
  /** Root and signing leaf; the leaf names the OCSP responder in its Authority Information Access. */
  readonly identity: DevelopmentSigningIdentity;
  /** The RFC 3161 authority's endpoint. */
  readonly timestampAuthorityUrl: string;
  /** The same, as a sealer's `timestampAuthority`. */
  readonly timestampAuthority: { readonly url: string };
  readonly ocspUrl: string;
  /** The root's CRL, named in the leaf's and the TSA's CRL distribution points (a fallback to OCSP). */
  readonly crlUrl: string;
  readonly rootCertificatePem: string;
  /** The TSA's certificate (issued by the root, named in tokens that ask for it; its AIA names the responder). */
  readonly tsaCertificatePem: string;
  /** From now on the responder answers `revoked` (since `at`, default now) for this certificate, PEM or serial hex. */
  readonly revoke: (certificate: string, at?: Date) => void;
  /** Requests each service answered. */
  readonly answered: () => { readonly tsa: number; readonly ocsp: number; readonly crl: number };
  readonly close: () => Promise<void>;
}

const serialOf = (certificate: string): string => {
  const base64 = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(certificate)?.[1];
  if (base64 === undefined)
    return certificate
      .toLowerCase()
      .replace(/^0x/, '')
      .replace(/^(00)+(?=.)/, '');
  return serialHex(parseCertificateDer(new Uint8Array(Buffer.from(base64, 'base64'))).serialNumber);
};

/**
 * Starts the DEVELOPMENT root's OCSP responder, CRL and time-stamping authority on 127.0.0.1, then issues the
 * signing leaf and the TSA certificate naming the responder and the CRL. Never for production: the root's key lives in this process.
 */
export const startDevelopmentTrustServices = async (
  options: DevelopmentTrustServicesOptions = {},
): Promise<DevelopmentTrustServices> => {
  const clock = options.clock ?? makeSystemClock();
  const authority = await generateDevelopmentAuthority({
    notBefore: clock.now(),
    ...(options.keyAlgorithm === undefined ? {} : { keyAlgorithm: options.keyAlgorithm }),
  });
  const issued = new Set<string>();
  const revoked = new Map<string, Date>();
  const statusOf = (serial: string): CertificateStatus => {
    const revokedAt = revoked.get(serial);
    if (revokedAt !== undefined) return { status: 'revoked', revokedAt };
    return issued.has(serial) ? { status: 'good' } : { status: 'unknown' };
  };
  const issuer = {
    certificate: authority.certificate,
    privateKey: KeyObject.from(authority.keys.privateKey),
  };
  const ocsp = await startDevelopmentOcspResponder({
    issuer,
    statusOf,
    clock,
    ...(options.ocspPort === undefined ? {} : { port: options.ocspPort }),
  });
  const crl = await startDevelopmentCrlDistribution({
    issuer,
    revoked: () => revoked,
    clock,
    ...(options.crlPort === undefined ? {} : { port: options.crlPort }),
  }).catch(async (error: unknown) => {
    await ocsp.close();
    throw error;
  });
  try {
    const pointers =
      options.revocationPointers === 'crl' ? { crlUrl: crl.url } : { ocspUrl: ocsp.url, crlUrl: crl.url };
    const identity = await developmentSigningIdentityUnder(authority, {
      ...pointers,
      ...(options.commonName === undefined ? {} : { commonName: options.commonName }),
    });
    const signer = await issueDevelopmentTimestampSigner(authority, pointers);
    issued.add(serialOf(identity.leafCertificatePem));
    issued.add(serialHex(signer.certificate.serialNumber));
    const tsa = await startDevelopmentTsa({
      signer,
      clock,
      ...(options.tsaPort === undefined ? {} : { port: options.tsaPort }),
    });
    return {
      identity,
      timestampAuthorityUrl: tsa.url,
      timestampAuthority: { url: tsa.url },
      ocspUrl: ocsp.url,
      crlUrl: crl.url,
      rootCertificatePem: identity.rootCertificatePem,
      tsaCertificatePem: pemOf(signer.certificate),
      revoke: (certificate, at) => revoked.set(serialOf(certificate), at ?? clock.now()),
      answered: () => ({ tsa: tsa.answered(), ocsp: ocsp.answered(), crl: crl.answered() }),
      close: async () => {
        await Promise.all([tsa.close(), ocsp.close(), crl.close()]);
      },
    };
  } catch (error) {
    await Promise.all([ocsp.close(), crl.close()]);
    throw error;
  }
};
