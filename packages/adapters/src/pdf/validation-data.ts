import { createHash } from 'node:crypto';
import { type DomainError, domainError } from '@paraphe/domain';
import * as A from 'fp-ts/lib/Array.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as pkijs from 'pkijs';
import { isSelfSigned, issued } from './revocation-pointers.js';
import type { RevocationSource } from './revocation-source.js';

/** What a validator needs, years later, to check the chains offline: the /DSS's contents (PAdES B-LT). */
export interface ValidationData {
  readonly certificates: ReadonlyArray<Uint8Array>;
  readonly ocsps: ReadonlyArray<Uint8Array>;
  readonly crls: ReadonlyArray<Uint8Array>;
}

const keyOf = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex');

/** Keeps the first of byte-identical items, in order. */
export const distinct = (items: ReadonlyArray<Uint8Array>): ReadonlyArray<Uint8Array> => {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

const parse = (der: Uint8Array): pkijs.Certificate =>
  pkijs.Certificate.fromBER(der.slice().buffer as ArrayBuffer);

/**
 * Revocation data for every certificate of the given chains but their roots (a trust anchor has none). Each
 * certificate's issuer must be among them: an OCSP request or a CRL check names the issuer's key. Fails on the
 * first certificate whose data cannot be had: a B-LT seal without it would not be one.
 */
export const collectValidationData = (
  source: RevocationSource,
  certificatesDer: ReadonlyArray<Uint8Array>,
): TE.TaskEither<DomainError, ValidationData> => {
  const unique = distinct(certificatesDer);
  let pool: ReadonlyArray<{ der: Uint8Array; certificate: pkijs.Certificate }>;
  try {
    pool = unique.map((der) => ({ der, certificate: parse(der) }));
  } catch {
    return TE.left(domainError('SEALING_FAILURE', { reason: 'revocation: unreadable certificate' }));
  }
  const checked = pool.filter((entry) => !isSelfSigned(entry.certificate));
  return pipe(
    [...checked],
    A.traverse(TE.ApplicativePar)(({ der, certificate }) => {
      const issuer = pool.find(
        (candidate) => candidate.certificate !== certificate && issued(candidate.certificate, certificate),
      );
      return issuer === undefined
        ? TE.left(
            domainError('SEALING_FAILURE', {
              reason:
                'revocation: a certificate’s issuer is not in the chain (add it to the configured chain)',
            }),
          )
        : source.revocationOf(der, issuer.der);
    }),
    TE.map((evidence) => ({
      certificates: distinct([
        ...unique,
        ...evidence.flatMap((e) => (e.kind === 'ocsp' ? e.responderCertificates : [])),
      ]),
      ocsps: distinct(evidence.flatMap((e) => (e.kind === 'ocsp' ? [e.response] : []))),
      crls: distinct(evidence.flatMap((e) => (e.kind === 'crl' ? [e.crl] : []))),
    })),
  );
};
