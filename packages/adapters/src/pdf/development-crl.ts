import { sign } from 'node:crypto';
import type { Clock } from '@paraphe/domain';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './cms-oids.js';
import type { OcspIssuer } from './development-ocsp.js';
import { type LoopbackAnswer, type LoopbackRequest, serveOnLoopback } from './loopback-service.js';

const CRL_NUMBER = '2.5.29.20';
/** A CRL's nextUpdate is thisUpdate plus this, as the OCSP answers' (validators read both the same way). */
export const DEFAULT_CRL_VALIDITY_MS = 24 * 3600 * 1000;

// A copy of exactly these bytes: a Buffer's slice() shares its (pooled, larger) ArrayBuffer.
const buf = (bytes: Uint8Array): ArrayBuffer => Uint8Array.from(bytes).buffer as ArrayBuffer;
const wholeSeconds = (instant: Date): Date => new Date(Math.floor(instant.getTime() / 1000) * 1000);

const signatureAlgorithmOf = (issuer: OcspIssuer): pkijs.AlgorithmIdentifier =>
  issuer.privateKey.asymmetricKeyType === 'rsa'
    ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() })
    : new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });

/** A v2 CRL of the issuer: every revoked serial (hex) with its revocation date, numbered by the time it is made. */
export const developmentCrl = (
  issuer: OcspIssuer,
  revoked: ReadonlyMap<string, Date>,
  now: Date,
  validityMs = DEFAULT_CRL_VALIDITY_MS,
): Uint8Array => {
  const thisUpdate = wholeSeconds(now);
  const algorithm = signatureAlgorithmOf(issuer);
  const crl = new pkijs.CertificateRevocationList({
    version: 1,
    signature: algorithm,
    issuer: issuer.certificate.subject,
    thisUpdate: new pkijs.Time({ type: 1, value: thisUpdate }),
    nextUpdate: new pkijs.Time({ type: 1, value: new Date(thisUpdate.getTime() + validityMs) }),
    ...(revoked.size === 0
      ? {}
      : {
          revokedCertificates: [...revoked].map(
            ([serial, at]) =>
              new pkijs.RevokedCertificate({
                userCertificate: new asn1js.Integer({ valueHex: buf(Buffer.from(serial, 'hex')) }),
                revocationDate: new pkijs.Time({ type: 1, value: wholeSeconds(at) }),
              }),
          ),
        }),
    // RFC 5280 §5.2.3 requires a CRL number that only grows: the second it was made serves.
    crlExtensions: new pkijs.Extensions({
      extensions: [
        new pkijs.Extension({
          extnID: CRL_NUMBER,
          extnValue: new asn1js.Integer({ value: Math.floor(thisUpdate.getTime() / 1000) }).toBER(false),
        }),
      ],
    }),
    signatureAlgorithm: algorithm,
  });
  // toSchema(true) encodes the TBS from the fields (encodeTBS itself is protected); it is the first element.
  const tbs = new Uint8Array(crl.toSchema(true).valueBlock.value[0]!.toBER(false));
  crl.tbsView = tbs;
  crl.signatureValue = new asn1js.BitString({
    valueHex: buf(new Uint8Array(sign('sha256', tbs, issuer.privateKey))),
  });
  return new Uint8Array(crl.toSchema().toBER(false));
};

export interface DevelopmentCrlDistribution {
  /** What certificates name in their CRL distribution points. */
  readonly url: string;
  readonly answered: () => number;
  readonly close: () => Promise<void>;
}

export const CRL_PATH = '/root.crl';

/** Serves the development root's CRL, made afresh on each GET from the revocations known at that moment. */
export const startDevelopmentCrlDistribution = async (options: {
  readonly issuer: OcspIssuer;
  readonly revoked: () => ReadonlyMap<string, Date>;
  readonly clock: Clock;
  readonly port?: number;
}): Promise<DevelopmentCrlDistribution> => {
  let answered = 0;
  const handle = (request: LoopbackRequest): LoopbackAnswer => {
    if (request.path !== CRL_PATH) return { status: 404 };
    if (request.method !== 'GET') return { status: 405 };
    answered += 1;
    return {
      status: 200,
      contentType: 'application/pkix-crl',
      body: developmentCrl(options.issuer, options.revoked(), options.clock.now()),
    };
  };
  const service = await serveOnLoopback(handle, {
    ...(options.port === undefined ? {} : { port: options.port }),
    maxBodyBytes: 1024,
  });
  return { url: `${service.origin}${CRL_PATH}`, answered: () => answered, close: service.close };
};
