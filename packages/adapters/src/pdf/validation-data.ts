import { createHash, X509Certificate } from 'node:crypto';
import { type SealingError, sealingError } from '@paraphe/domain';
import * as A from 'fp-ts/lib/Array.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
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

interface Plan {
  readonly unique: ReadonlyArray<Uint8Array>;
  /** Each certificate but the roots, with its issuer. */
  readonly pairs: ReadonlyArray<{ readonly certificate: Uint8Array; readonly issuer: Uint8Array }>;
  /** Certificates whose issuer is not among the given ones. */
  readonly orphans: ReadonlyArray<Uint8Array>;
}

const planFor = (certificatesDer: ReadonlyArray<Uint8Array>): Plan => {
  const unique = distinct(certificatesDer);
  const pool = unique.map((der) => ({ der, x509: new X509Certificate(der) }));
  const issuedBy = (child: X509Certificate, parent: X509Certificate): boolean =>
    child.checkIssued(parent) && child.verify(parent.publicKey);
  const pairs: { certificate: Uint8Array; issuer: Uint8Array }[] = [];
  const orphans: Uint8Array[] = [];
  for (const entry of pool) {
    // A trust anchor issued itself: no revocation data applies to it.
    if (issuedBy(entry.x509, entry.x509)) continue;
    const issuer = pool.find((candidate) => candidate !== entry && issuedBy(entry.x509, candidate.x509));
    if (issuer === undefined) orphans.push(entry.der);
    else pairs.push({ certificate: entry.der, issuer: issuer.der });
  }
  return { unique, pairs, orphans };
};

// The same chains come with every seal (the signer's, the TSA's): their plan is worked out once.
const plans = new Map<string, Plan>();
const MAX_PLANS = 64;

const cachedPlanFor = (certificatesDer: ReadonlyArray<Uint8Array>): Plan => {
  const key = certificatesDer.map(keyOf).join(' ');
  let plan = plans.get(key);
  if (plan === undefined) {
    plan = planFor(certificatesDer);
    plans.set(key, plan);
    if (plans.size > MAX_PLANS) plans.delete(plans.keys().next().value as string);
  }
  return plan;
};

const unreadable = sealingError('SEALING_FAILURE', { reason: 'revocation: unreadable certificate' });
const noIssuer = sealingError('SEALING_FAILURE', {
  reason: 'revocation: a certificate’s issuer is not in the chain (add it to the configured chain)',
});
// Intermediate CAs above a TSA or a signer: a longer chain fetched issuer by issuer is refused.
const MAX_FETCHED_LEVELS = 4;

/** The plan for these certificates, their missing issuers fetched through the source (level by level). */
const completePlan = (
  source: RevocationSource,
  certificatesDer: ReadonlyArray<Uint8Array>,
  levelsLeft: number,
): TE.TaskEither<SealingError, Plan> => {
  let plan: Plan;
  try {
    plan = cachedPlanFor(certificatesDer);
  } catch {
    return TE.left(unreadable);
  }
  if (plan.orphans.length === 0) return TE.right(plan);
  const issuerOf = source.issuerOf;
  if (issuerOf === undefined || levelsLeft === 0) return TE.left(noIssuer);
  return pipe(
    [...plan.orphans],
    A.traverse(TE.ApplicativePar)(issuerOf),
    TE.chain((issuers) => completePlan(source, [...plan.unique, ...issuers], levelsLeft - 1)),
  );
};

/**
 * Revocation data for every certificate of the given chains but their roots (a trust anchor has none). Each
 * certificate's issuer must be among them or be had from the source (AIA caIssuers): an OCSP request or a CRL
 * check names the issuer's key. Fails on the first certificate whose data cannot be had: a B-LT seal without it
 * would not be one.
 */
export const collectValidationData = (
  source: RevocationSource,
  certificatesDer: ReadonlyArray<Uint8Array>,
): TE.TaskEither<SealingError, ValidationData> =>
  pipe(
    completePlan(source, certificatesDer, MAX_FETCHED_LEVELS),
    TE.chain(({ unique, pairs }) =>
      pipe(
        [...pairs],
        A.traverse(TE.ApplicativePar)(({ certificate, issuer }) => source.revocationOf(certificate, issuer)),
        TE.map((evidence) => ({
          certificates: distinct([
            ...unique,
            ...evidence.flatMap((e) => (e.kind === 'ocsp' ? e.responderCertificates : [])),
          ]),
          ocsps: distinct(evidence.flatMap((e) => (e.kind === 'ocsp' ? [e.response] : []))),
          crls: distinct(evidence.flatMap((e) => (e.kind === 'crl' ? [e.crl] : []))),
        })),
      ),
    ),
  );
