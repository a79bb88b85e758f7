import { KeyObject, randomBytes } from 'node:crypto';
import type { Clock } from '@paraphe/domain';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { type DevelopmentAuthority, issueDevelopmentCertificate } from './development-identity.js';
import { type TimestampSigner, timestampToken } from './development-timestamp-token.js';
import { type LoopbackAnswer, type LoopbackRequest, serveOnLoopback } from './loopback-service.js';

/**
 * The development TSA's policy: under 2.999, the arc ITU-T X.660 reserves for examples, so it can never be
 * mistaken for a registered (let alone qualified) time-stamping policy.
 */
export const DEVELOPMENT_TSA_POLICY = '2.999.3161.1';

/** RFC 3161 queries are a few hundred bytes; anything past this is refused before it is parsed. */
export const DEFAULT_MAX_QUERY_BYTES = 16 * 1024;

// Digest lengths of the imprints this TSA accepts; SHA-1 is refused (badAlg) as too weak to bind a document.
const IMPRINT_LENGTHS: ReadonlyMap<string, number> = new Map([
  ['2.16.840.1.101.3.4.2.1', 32],
  ['2.16.840.1.101.3.4.2.2', 48],
  ['2.16.840.1.101.3.4.2.3', 64],
]);

/** PKIFailureInfo bit numbers (RFC 3161 §2.4.2). */
const Failure = {
  badAlg: 0,
  badRequest: 2,
  badDataFormat: 5,
  unacceptedPolicy: 15,
  unacceptedExtension: 16,
} as const;
type Failure = (typeof Failure)[keyof typeof Failure];

// A named BIT STRING in DER keeps no trailing zero bit: the last byte holds the bit, the rest is unused.
const failInfo = (bit: Failure): asn1js.BitString => {
  const bytes = new Uint8Array(Math.floor(bit / 8) + 1);
  bytes[bytes.length - 1] = 0x80 >> (bit % 8);
  return new asn1js.BitString({ valueHex: bytes.buffer, unusedBits: 7 - (bit % 8) });
};

const rejection = (bit: Failure, text: string): Uint8Array =>
  new Uint8Array(
    new pkijs.TimeStampResp({
      status: new pkijs.PKIStatusInfo({
        status: 2,
        statusStrings: [new asn1js.Utf8String({ value: text })],
        failInfo: failInfo(bit),
      }),
    })
      .toSchema()
      .toBER(false),
  );

const parseQuery = (query: Uint8Array): pkijs.TimeStampReq | undefined => {
  try {
    const asn1 = asn1js.fromBER(Uint8Array.from(query).buffer as ArrayBuffer);
    // Trailing bytes after the request make it a different message than the one parsed.
    if (asn1.offset === -1 || asn1.offset !== query.byteLength) return undefined;
    return new pkijs.TimeStampReq({ schema: asn1.result });
  } catch {
    return undefined;
  }
};

const wholeSeconds = (instant: Date): Date => new Date(Math.floor(instant.getTime() / 1000) * 1000);

/** A fresh positive 16-byte serial: unique across restarts without any state on disk. */
export const randomTokenSerial = (): Uint8Array => {
  const serial = new Uint8Array(randomBytes(16));
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  return serial;
};

/**
 * Answers one DER TimeStampReq with a DER TimeStampResp: granted with a token, or a rejection naming what was
 * wrong. Never throws on any input.
 */
export const answerTimestampQuery = (
  signer: TimestampSigner,
  query: Uint8Array,
  at: { readonly now: Date; readonly serial: Uint8Array; readonly policy?: string },
): Uint8Array => {
  const policy = at.policy ?? DEVELOPMENT_TSA_POLICY;
  const request = parseQuery(query);
  if (request === undefined) return rejection(Failure.badDataFormat, 'not a DER TimeStampReq');
  if (request.version !== 1) return rejection(Failure.badRequest, 'version must be 1');
  const { hashAlgorithm, hashedMessage } = request.messageImprint;
  const length = IMPRINT_LENGTHS.get(hashAlgorithm.algorithmId);
  if (length === undefined) return rejection(Failure.badAlg, 'imprint must be SHA-256, SHA-384 or SHA-512');
  if (hashedMessage.valueBlock.valueHexView.byteLength !== length)
    return rejection(Failure.badDataFormat, 'imprint length does not match its algorithm');
  if (request.reqPolicy !== undefined && request.reqPolicy !== policy)
    return rejection(Failure.unacceptedPolicy, `only policy ${policy} is offered`);
  if (request.extensions !== undefined && request.extensions.length > 0)
    return rejection(Failure.unacceptedExtension, 'no extension is supported');
  const token = timestampToken(signer, {
    policy,
    messageImprint: request.messageImprint,
    serialNumber: at.serial,
    genTime: wholeSeconds(at.now),
    ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
    includeCertificate: request.certReq === true,
  });
  return new Uint8Array(
    new pkijs.TimeStampResp({ status: new pkijs.PKIStatusInfo({ status: 0 }), timeStampToken: token })
      .toSchema()
      .toBER(false),
  );
};

const ID_KP_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

/** The TSA's certificate under the development root: digitalSignature, critical extendedKeyUsage timeStamping. */
export const issueDevelopmentTimestampSigner = async (
  authority: DevelopmentAuthority,
  revocation: { readonly ocspUrl?: string; readonly crlUrl?: string } = {},
): Promise<TimestampSigner> => {
  const issued = await issueDevelopmentCertificate(authority, 'Paraphe DEVELOPMENT time-stamping authority', {
    isCa: false,
    keyUsageBits: 0x80,
    extendedKeyUsage: ID_KP_TIME_STAMPING,
    ...revocation,
  });
  return {
    certificate: issued.certificate,
    certificateDer: new Uint8Array(issued.certificate.toSchema().toBER(false)),
    privateKey: KeyObject.from(issued.keys.privateKey),
  };
};

export interface DevelopmentTsaOptions {
  readonly signer: TimestampSigner;
  readonly clock: Clock;
  readonly port?: number;
  readonly maxQueryBytes?: number;
}

export interface DevelopmentTsa {
  /** The endpoint to give a sealer as `timestampAuthority.url`. */
  readonly url: string;
  /** Queries answered so far, granted or rejected. */
  readonly answered: () => number;
  readonly close: () => Promise<void>;
}

export const TSA_PATH = '/tsa';

/** A DEVELOPMENT RFC 3161 authority on 127.0.0.1: POST `application/timestamp-query` to `/tsa`. */
export const startDevelopmentTsa = async (options: DevelopmentTsaOptions): Promise<DevelopmentTsa> => {
  let answered = 0;
  const handle = (request: LoopbackRequest): LoopbackAnswer => {
    if (request.path !== TSA_PATH) return { status: 404 };
    if (request.method !== 'POST') return { status: 405 };
    if (request.contentType !== 'application/timestamp-query') return { status: 400 };
    answered += 1;
    return {
      status: 200,
      contentType: 'application/timestamp-reply',
      body: answerTimestampQuery(options.signer, request.body, {
        now: options.clock.now(),
        serial: randomTokenSerial(),
      }),
    };
  };
  const service = await serveOnLoopback(handle, {
    ...(options.port === undefined ? {} : { port: options.port }),
    maxBodyBytes: options.maxQueryBytes ?? DEFAULT_MAX_QUERY_BYTES,
  });
  return { url: `${service.origin}${TSA_PATH}`, answered: () => answered, close: service.close };
};
