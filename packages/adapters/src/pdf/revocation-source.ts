import { createHash, X509Certificate } from 'node:crypto';
import { type SealingError, sealingError } from '@paraphe/domain';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as pkijs from 'pkijs';
import { CertificateRefused } from './certificate-refused.js';
import { checkCrl } from './crl.js';
import { checkOcspResponse, ocspRequestFor } from './ocsp.js';
import { caIssuersUrlOf, crlUrlOf, ocspUrlOf } from './revocation-pointers.js';

/** Proof that a certificate was not revoked when the seal was made, as PAdES B-LT stores it in the /DSS. */
export type RevocationEvidence =
  | {
      readonly kind: 'ocsp';
      readonly response: Uint8Array;
      /** A delegated responder's certificates, which a validator needs to check the response. */
      readonly responderCertificates: ReadonlyArray<Uint8Array>;
    }
  | { readonly kind: 'crl'; readonly crl: Uint8Array };

/**
 * Port: revocation data for a certificate issued by `issuer`, by the certificate's OCSP responder (its AIA) or,
 * when it names none, its CRL distribution point. Fails with SEALING_FAILURE (a secret-free reason) when the data
 * cannot be had or says the certificate is revoked.
 */
export interface RevocationSource {
  /** Both certificates as DER. */
  readonly revocationOf: (
    certificate: Uint8Array,
    issuer: Uint8Array,
  ) => TE.TaskEither<SealingError, RevocationEvidence>;
  /**
   * The certificate's issuer (DER), when the chains given lack it: a TSA often sends its own certificate alone.
   * Without this method such a seal is refused.
   */
  readonly issuerOf?: (certificate: Uint8Array) => TE.TaskEither<SealingError, Uint8Array>;
}

export interface HttpRevocationSourceOptions {
  /** Per request; 5 s by default. */
  readonly timeoutMs?: number;
  /**
   * How long a fetched OCSP response or CRL is reused: until its nextUpdate, and never longer than this (5 minutes
   * by default), so a revocation is seen within that time while a burst of seals asks the responder once.
   */
  readonly maxAgeMs?: number;
  /** Entries kept at most; the oldest go first. */
  readonly maxEntries?: number;
  readonly now?: () => Date;
}

const DEFAULTS = { timeoutMs: 5_000, maxAgeMs: 5 * 60_000, maxEntries: 1_000 };

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
};

const commonNameOf = (certificate: pkijs.Certificate): string => {
  const cn = certificate.subject.typesAndValues.find((tv) => tv.type === '2.5.4.3');
  return cn === undefined
    ? 'a certificate without common name'
    : String(cn.value.valueBlock.value).slice(0, 80);
};

/** Retryable unless the certificate itself is refused: a responder that failed or did not answer may do better later. */
const failure = (certificate: pkijs.Certificate | undefined, cause: unknown): SealingError =>
  sealingError(
    'SEALING_FAILURE',
    {
      reason: `revocation of ${certificate === undefined ? 'an unreadable certificate' : commonNameOf(certificate)}: ${reasonOf(cause)}`,
    },
    !(cause instanceof CertificateRefused),
  );

const parse = (der: Uint8Array): pkijs.Certificate =>
  pkijs.Certificate.fromBER(der.slice().buffer as ArrayBuffer);

const reasonOf = (e: unknown): string =>
  e instanceof Error ? (e.name === 'TimeoutError' ? 'timed out' : e.message.slice(0, 160)) : String(e);

interface Cached<A> {
  readonly until: number;
  readonly value: Promise<A>;
}

/** A small time-bounded cache of pending or settled fetches, so concurrent seals share one request. */
const makeCache = <A>(maxEntries: number) => {
  const entries = new Map<string, Cached<A>>();
  return (key: string, now: number, load: () => Promise<{ value: A; until: number }>): Promise<A> => {
    const hit = entries.get(key);
    if (hit !== undefined && hit.until > now) return hit.value;
    entries.delete(key);
    const loading = load();
    const value = loading.then((l) => l.value);
    // Pending: held until it settles; then until its own deadline, or dropped on failure.
    entries.set(key, { until: Number.POSITIVE_INFINITY, value });
    loading.then(
      (l) => {
        if (entries.get(key)?.value === value) entries.set(key, { until: l.until, value });
      },
      () => {
        if (entries.get(key)?.value === value) entries.delete(key);
      },
    );
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    return value;
  };
};

const ISSUER_CACHE_MS = 24 * 3600_000;

/** A caIssuers answer is one DER certificate or a certs-only PKCS#7 (RFC 5280 §4.2.2.1). */
const certificatesIn = (body: Uint8Array): ReadonlyArray<Uint8Array> => {
  try {
    parse(body);
    return [body];
  } catch {
    const signedData = new pkijs.SignedData({
      schema: pkijs.ContentInfo.fromBER(body.slice().buffer).content,
    });
    return (signedData.certificates ?? [])
      .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
      .map((c) => new Uint8Array(c.toSchema().toBER(false)));
  }
};

const keyOf = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex');

/** Revocation data over HTTP (RFC 6960 OCSP by POST, RFC 5280 CRL by GET), with timeouts and a cache. */
export const makeHttpRevocationSource = (options: HttpRevocationSourceOptions = {}): RevocationSource => {
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxAgeMs = options.maxAgeMs ?? DEFAULTS.maxAgeMs;
  const now = options.now ?? (() => new Date());
  // Checked evidence per certificate and issuer: a hit costs a hash, no parsing and no signature check.
  const evidenceCache = makeCache<RevocationEvidence>(options.maxEntries ?? DEFAULTS.maxEntries);
  // Raw CRLs per URL, so the certificates one CRL covers share one download.
  const crlCache = makeCache<Uint8Array>(options.maxEntries ?? DEFAULTS.maxEntries);

  const get = async (url: string, init: RequestInit, expected: string): Promise<Uint8Array> => {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`${expected} at ${hostOf(url)} answered HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };

  const untilOf = (fetchedAt: Date, nextUpdate: Date | undefined): number =>
    Math.min(fetchedAt.getTime() + maxAgeMs, nextUpdate?.getTime() ?? Number.POSITIVE_INFINITY);

  const ocsp = async (url: string, certificate: pkijs.Certificate, issuer: pkijs.Certificate, at: Date) => {
    const response = await get(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
        body: ocspRequestFor(certificate, issuer),
      },
      'OCSP responder',
    );
    const checked = checkOcspResponse(response, certificate, issuer, at);
    return {
      value: { kind: 'ocsp' as const, response, responderCertificates: checked.responderCertificates },
      until: untilOf(at, checked.nextUpdate),
    };
  };

  const crl = async (url: string, certificate: pkijs.Certificate, issuer: pkijs.Certificate, at: Date) => {
    let nextUpdate: Date | undefined;
    const list = await crlCache(url, at.getTime(), async () => {
      const body = await get(url, { method: 'GET' }, 'CRL distribution point');
      nextUpdate = checkCrl(body, certificate, issuer, at).nextUpdate;
      return { value: body, until: untilOf(at, nextUpdate) };
    });
    nextUpdate = checkCrl(list, certificate, issuer, at).nextUpdate;
    return { value: { kind: 'crl' as const, crl: list }, until: untilOf(at, nextUpdate) };
  };

  const fetchEvidence = (certificateDer: Uint8Array, issuerDer: Uint8Array, at: Date) => async () => {
    const certificate = parse(certificateDer);
    const issuer = parse(issuerDer);
    const ocspUrl = ocspUrlOf(certificate);
    if (ocspUrl !== undefined) return ocsp(ocspUrl, certificate, issuer, at);
    const crlUrl = crlUrlOf(certificate);
    if (crlUrl !== undefined) return crl(crlUrl, certificate, issuer, at);
    throw new CertificateRefused('the certificate names no OCSP responder and no CRL distribution point');
  };

  const named = (certificateDer: Uint8Array): pkijs.Certificate | undefined => {
    try {
      return parse(certificateDer);
    } catch {
      return undefined;
    }
  };

  // Issuer certificates live for years: kept per URL for a day, not maxAgeMs.
  const issuerCache = makeCache<ReadonlyArray<Uint8Array>>(options.maxEntries ?? DEFAULTS.maxEntries);

  const issuerOf = (certificateDer: Uint8Array): TE.TaskEither<SealingError, Uint8Array> =>
    TE.tryCatch(
      async () => {
        const certificate = parse(certificateDer);
        const url = caIssuersUrlOf(certificate);
        if (url === undefined)
          throw new CertificateRefused('its issuer is not in the chain and it names none (AIA caIssuers)');
        const at = now().getTime();
        const candidates = await issuerCache(url, at, async () => ({
          value: certificatesIn(await get(url, { method: 'GET' }, 'CA issuers')),
          until: at + ISSUER_CACHE_MS,
        }));
        const child = new X509Certificate(certificateDer);
        const found = candidates.find((der) => {
          const parent = new X509Certificate(der);
          return child.checkIssued(parent) && child.verify(parent.publicKey);
        });
        if (found === undefined) throw new Error(`the CA issuers at ${hostOf(url)} did not issue it`);
        return found;
      },
      (e) => failure(named(certificateDer), e),
    );

  return {
    issuerOf,
    revocationOf: (certificateDer, issuerDer) =>
      TE.tryCatch(
        () => {
          const at = now();
          const key = `${keyOf(certificateDer)} ${keyOf(issuerDer)}`;
          return evidenceCache(key, at.getTime(), fetchEvidence(certificateDer, issuerDer, at));
        },
        (e) => failure(named(certificateDer), e),
      ),
  };
};
