import { createHash, type KeyObject, sign } from 'node:crypto';
import type { Clock } from '@paraphe/domain';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './cms-oids.js';
import { type LoopbackAnswer, type LoopbackRequest, serveOnLoopback } from './loopback-service.js';

/** The CA whose certificates the responder answers for; it signs the answers itself (RFC 6960 §4.2.2.2). */
export interface OcspIssuer {
  readonly certificate: pkijs.Certificate;
  readonly privateKey: KeyObject;
}

export type CertificateStatus =
  | { readonly status: 'good' }
  | { readonly status: 'revoked'; readonly revokedAt: Date }
  | { readonly status: 'unknown' };

/** The status of the issuer's certificate with this serial (lower-case hex, no leading zero byte). */
export type StatusLookup = (serialHex: string) => CertificateStatus;

/** How long an answer may be relied on: nextUpdate is thisUpdate plus this. */
export const DEFAULT_OCSP_VALIDITY_MS = 24 * 3600 * 1000;
/** One certificate per request is the norm; a long list is refused rather than signed. */
const MAX_CERTIFICATES_PER_REQUEST = 16;
export const DEFAULT_MAX_OCSP_REQUEST_BYTES = 16 * 1024;

const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';
const HASHES: ReadonlyMap<string, string> = new Map([
  ['1.3.14.3.2.26', 'sha1'],
  [OID.sha256, 'sha256'],
  ['2.16.840.1.101.3.4.2.2', 'sha384'],
  ['2.16.840.1.101.3.4.2.3', 'sha512'],
]);

// A copy of exactly these bytes: a Buffer's slice() shares its (pooled, larger) ArrayBuffer.
const buf = (bytes: Uint8Array): ArrayBuffer => Uint8Array.from(bytes).buffer as ArrayBuffer;
const hash = (algorithm: string, data: Uint8Array | ArrayBuffer): Buffer =>
  createHash(algorithm)
    .update(new Uint8Array(data as ArrayBuffer))
    .digest();
const wholeSeconds = (instant: Date): Date => new Date(Math.floor(instant.getTime() / 1000) * 1000);

/** A serial as the status lookup and the revocation list name it. */
export const serialHex = (serial: asn1js.Integer): string => {
  const bytes = Buffer.from(serial.valueBlock.valueHexView);
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  return bytes.subarray(start).toString('hex');
};

/** OCSPResponse with no body: malformedRequest (1) or internalError (2). */
const unsuccessful = (status: 1 | 2): Uint8Array =>
  new Uint8Array(
    new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: status }) })
      .toSchema()
      .toBER(false),
  );

const parseRequest = (body: Uint8Array): pkijs.OCSPRequest | undefined => {
  try {
    const asn1 = asn1js.fromBER(buf(body));
    if (asn1.offset === -1 || asn1.offset !== body.byteLength) return undefined;
    return new pkijs.OCSPRequest({ schema: asn1.result });
  } catch {
    return undefined;
  }
};

const certStatusOf = (status: CertificateStatus): asn1js.AsnType => {
  switch (status.status) {
    case 'good':
      return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
    case 'revoked':
      return new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 1 },
        value: [new asn1js.GeneralizedTime({ valueDate: wholeSeconds(status.revokedAt) })],
      });
    case 'unknown':
      return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
  }
};

/** Whether the CertID names this issuer: its name and key hashed with the CertID's own algorithm. */
const namesIssuer = (issuer: pkijs.Certificate, certId: pkijs.CertID): boolean => {
  const algorithm = HASHES.get(certId.hashAlgorithm.algorithmId);
  if (algorithm === undefined) return false;
  const nameHash = hash(algorithm, issuer.subject.toSchema().toBER(false));
  const keyHash = hash(algorithm, issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
  return (
    nameHash.equals(Buffer.from(certId.issuerNameHash.valueBlock.valueHexView)) &&
    keyHash.equals(Buffer.from(certId.issuerKeyHash.valueBlock.valueHexView))
  );
};

const signatureAlgorithmOf = (key: KeyObject): pkijs.AlgorithmIdentifier =>
  key.asymmetricKeyType === 'rsa'
    ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() })
    : new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });

/**
 * Answers one DER OCSPRequest with a DER OCSPResponse: a BasicOCSPResponse signed by the issuer for each
 * certificate asked about (good, revoked, or unknown when another CA issued it), or malformedRequest. Never
 * throws on any input.
 */
export const answerOcspRequest = (
  issuer: OcspIssuer,
  body: Uint8Array,
  at: { readonly now: Date; readonly statusOf: StatusLookup; readonly validityMs?: number },
): Uint8Array => {
  const request = parseRequest(body);
  const list = request?.tbsRequest.requestList ?? [];
  if (request === undefined || list.length === 0 || list.length > MAX_CERTIFICATES_PER_REQUEST)
    return unsuccessful(1);
  const thisUpdate = wholeSeconds(at.now);
  const nextUpdate = new Date(thisUpdate.getTime() + (at.validityMs ?? DEFAULT_OCSP_VALIDITY_MS));
  const responses = list.map(
    ({ reqCert }) =>
      new pkijs.SingleResponse({
        certID: reqCert,
        certStatus: certStatusOf(
          namesIssuer(issuer.certificate, reqCert)
            ? at.statusOf(serialHex(reqCert.serialNumber))
            : { status: 'unknown' },
        ),
        thisUpdate,
        nextUpdate,
      }),
  );
  // The nonce extension is copied as asked, so a client can tell this answer is not a replay.
  const nonce = request.tbsRequest.requestExtensions?.filter((e) => e.extnID === OCSP_NONCE) ?? [];
  const responseData = new pkijs.ResponseData({
    // byKey: SHA-1 of the issuer's public key bits (RFC 6960 §4.2.1 KeyHash).
    responderID: new asn1js.OctetString({
      valueHex: buf(
        hash('sha1', issuer.certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView),
      ),
    }),
    producedAt: thisUpdate,
    responses,
    ...(nonce.length === 0 ? {} : { responseExtensions: nonce }),
  });
  const tbs = new Uint8Array(responseData.toSchema(true).toBER(false));
  responseData.tbsView = tbs;
  const basic = new pkijs.BasicOCSPResponse({
    tbsResponseData: responseData,
    signatureAlgorithm: signatureAlgorithmOf(issuer.privateKey),
    signature: new asn1js.BitString({
      valueHex: buf(new Uint8Array(sign('sha256', tbs, issuer.privateKey))),
    }),
    // The signer's certificate travels with the answer, so a validator finds it without another fetch.
    certs: [issuer.certificate],
  });
  return new Uint8Array(
    new pkijs.OCSPResponse({
      responseStatus: new asn1js.Enumerated({ value: 0 }),
      responseBytes: new pkijs.ResponseBytes({
        responseType: OCSP_BASIC,
        response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }),
      }),
    })
      .toSchema()
      .toBER(false),
  );
};

export interface DevelopmentOcspOptions {
  readonly issuer: OcspIssuer;
  readonly statusOf: StatusLookup;
  readonly clock: Clock;
  readonly validityMs?: number;
  readonly port?: number;
  readonly maxRequestBytes?: number;
}

export interface DevelopmentOcspResponder {
  /** What certificates name in their AIA: POST here, or GET here + `/` + the URL-encoded base64 request. */
  readonly url: string;
  readonly answered: () => number;
  readonly close: () => Promise<void>;
}

export const OCSP_PATH = '/ocsp';

const getRequestBody = (path: string): Uint8Array | undefined => {
  try {
    const encoded = decodeURIComponent(path.slice(OCSP_PATH.length + 1));
    return /^[A-Za-z0-9+/=]*$/.test(encoded) ? new Uint8Array(Buffer.from(encoded, 'base64')) : undefined;
  } catch {
    return undefined;
  }
};

/** A DEVELOPMENT OCSP responder (RFC 6960) on 127.0.0.1 for the certificates the development root issued. */
export const startDevelopmentOcspResponder = async (
  options: DevelopmentOcspOptions,
): Promise<DevelopmentOcspResponder> => {
  let answered = 0;
  const answer = (body: Uint8Array): LoopbackAnswer => {
    answered += 1;
    return {
      status: 200,
      contentType: 'application/ocsp-response',
      body: answerOcspRequest(options.issuer, body, {
        now: options.clock.now(),
        statusOf: options.statusOf,
        ...(options.validityMs === undefined ? {} : { validityMs: options.validityMs }),
      }),
    };
  };
  const handle = (request: LoopbackRequest): LoopbackAnswer => {
    if (request.method === 'GET' && request.path.startsWith(`${OCSP_PATH}/`)) {
      const body = getRequestBody(request.path);
      return body === undefined ? { status: 400 } : answer(body);
    }
    // The server's root too: `openssl ocsp -url http://127.0.0.1:<port>` posts there.
    if (request.path !== OCSP_PATH && request.path !== '/') return { status: 404 };
    if (request.method !== 'POST') return { status: 405 };
    if (request.contentType !== 'application/ocsp-request') return { status: 400 };
    return answer(request.body);
  };
  const service = await serveOnLoopback(handle, {
    ...(options.port === undefined ? {} : { port: options.port }),
    maxBodyBytes: options.maxRequestBytes ?? DEFAULT_MAX_OCSP_REQUEST_BYTES,
  });
  return { url: `${service.origin}${OCSP_PATH}`, answered: () => answered, close: service.close };
};
