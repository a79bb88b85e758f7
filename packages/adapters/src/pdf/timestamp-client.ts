import { randomBytes } from 'node:crypto';
import { type DomainError, domainError } from '@paraphe/domain';
import * as asn1js from 'asn1js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as pkijs from 'pkijs';
import { OID } from './cms-oids.js';
import { sha256Of } from './cms-signature.js';

export interface TimestampAuthorityConfig {
  /** RFC 3161 endpoint accepting `application/timestamp-query` over HTTP POST. */
  readonly url: string;
  readonly timeoutMs?: number;
}

const failure = (reason: string): DomainError =>
  domainError('SEALING_FAILURE', { reason: `timestamp: ${reason}` });
const buf = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

/** Reads the TSTInfo a token carries; throws on a malformed token (callers catch). */
export const readTstInfo = (token: Uint8Array): pkijs.TSTInfo => {
  const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(buf(token)).content });
  const eContent = signedData.encapContentInfo.eContent;
  if (eContent === undefined) throw new Error('token without TSTInfo');
  return pkijs.TSTInfo.fromBER(eContent.getValue());
};

const sameBytes = (a: ArrayBuffer | Uint8Array, b: Uint8Array): boolean =>
  Buffer.from(a as Uint8Array).equals(b);

/** Asks the TSA to timestamp a SHA-256 imprint and returns the DER TimeStampToken. */
export const requestTimestamp = (
  config: TimestampAuthorityConfig,
  imprint: Uint8Array,
): TE.TaskEither<DomainError, Uint8Array> =>
  TE.tryCatch(
    async () => {
      const nonce = randomBytes(8);
      nonce[0] = (nonce[0]! & 0x7f) | 0x01;
      const request = new pkijs.TimeStampReq({
        version: 1,
        messageImprint: new pkijs.MessageImprint({
          hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
          hashedMessage: new asn1js.OctetString({ valueHex: buf(imprint) }),
        }),
        nonce: new asn1js.Integer({ valueHex: buf(nonce) }),
        certReq: true,
      });
      const response = await fetch(config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query' },
        body: new Uint8Array(request.toSchema().toBER(false)),
        signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const parsed = pkijs.TimeStampResp.fromBER(await response.arrayBuffer());
      if (parsed.status.status > 1 || parsed.timeStampToken === undefined) {
        throw new Error(`refused with status ${parsed.status.status}`);
      }
      const token = new Uint8Array(parsed.timeStampToken.toSchema().toBER(false));
      const info = readTstInfo(token);
      // A token for another imprint or nonce would timestamp something else (or be a replay).
      if (!sameBytes(info.messageImprint.hashedMessage.valueBlock.valueHexView, imprint))
        throw new Error('imprint mismatch');
      if (info.nonce === undefined || !sameBytes(info.nonce.valueBlock.valueHexView, nonce))
        throw new Error('nonce mismatch');
      return token;
    },
    (e) => failure(e instanceof Error ? e.message : String(e)),
  );

/** The signature timestamp of PAdES B-T: over the signature value. */
export const requestSignatureTimestamp = (
  config: TimestampAuthorityConfig,
  signatureValue: Uint8Array,
): TE.TaskEither<DomainError, Uint8Array> => requestTimestamp(config, sha256Of(signatureValue));

/** The certificates a token carries (the TSA's, and its chain when the TSA sends it); throws on a malformed token. */
export const tokenCertificates = (token: Uint8Array): ReadonlyArray<Uint8Array> => {
  const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(buf(token)).content });
  return (signedData.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => new Uint8Array(c.toSchema().toBER(false)));
};
