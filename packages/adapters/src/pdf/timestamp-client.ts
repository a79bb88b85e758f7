import { randomBytes } from 'node:crypto';
import { type SealingError, sealingError } from '@paraphe/domain';
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

const failure = (reason: string): SealingError =>
  sealingError('SEALING_FAILURE', { reason: `timestamp: ${reason}` }, true);
const buf = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

const children = (block: asn1js.AsnType | undefined): ReadonlyArray<asn1js.AsnType> | undefined => {
  const value = (block as asn1js.Constructed | undefined)?.valueBlock?.value;
  return Array.isArray(value) ? value : undefined;
};

/** SignedData's fields: ContentInfo ::= SEQUENCE { contentType, content [0] EXPLICIT SignedData }. */
const signedDataFields = (token: Uint8Array): ReadonlyArray<asn1js.AsnType> => {
  const parsed = asn1js.fromBER(buf(token));
  if (parsed.offset === -1) throw new Error('token is not DER');
  const fields = children(children(children(parsed.result)?.[1])?.[0]);
  if (fields === undefined) throw new Error('token without SignedData');
  return fields;
};

/**
 * Reads the TSTInfo a token carries; throws on a malformed token (callers catch). With asn1js down to the
 * eContent, then pkijs for the TSTInfo alone: a pkijs parse of the whole token costs several times more.
 */
export const readTstInfo = (token: Uint8Array): pkijs.TSTInfo => {
  // encapContentInfo ::= SEQUENCE { eContentType, eContent [0] EXPLICIT OCTET STRING }, after version and digests.
  const eContent = children(children(signedDataFields(token)[2])?.[1])?.[0];
  if (!(eContent instanceof asn1js.OctetString)) throw new Error('token without TSTInfo');
  return pkijs.TSTInfo.fromBER(eContent.getValue());
};

const sameBytes = (a: ArrayBuffer | Uint8Array, b: Uint8Array): boolean =>
  Buffer.from(a as Uint8Array).equals(b);

/** Asks the TSA to timestamp a SHA-256 imprint and returns the DER TimeStampToken. */
export const requestTimestamp = (
  config: TimestampAuthorityConfig,
  imprint: Uint8Array,
): TE.TaskEither<SealingError, Uint8Array> =>
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
      // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo OPTIONAL }
      const parsed = asn1js.fromBER(await response.arrayBuffer());
      const [statusInfo, tokenBlock] = children(parsed.result) ?? [];
      const status = children(statusInfo)?.[0];
      const granted = status instanceof asn1js.Integer ? status.valueBlock.valueDec : -1;
      if (parsed.offset === -1 || granted < 0 || granted > 1 || tokenBlock === undefined)
        throw new Error(`refused with status ${granted}`);
      // The token as the TSA encoded it, not re-encoded.
      const token = new Uint8Array(tokenBlock.valueBeforeDecodeView);
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
): TE.TaskEither<SealingError, Uint8Array> => requestTimestamp(config, sha256Of(signatureValue));

/**
 * The certificates a token carries (the TSA's, and its chain when the TSA sends it), as the DER they were sent in;
 * read with asn1js alone (a full pkijs parse costs more than the rest of a B-LT step). Throws on a malformed token.
 */
export const tokenCertificates = (token: Uint8Array): ReadonlyArray<Uint8Array> => {
  // SignedData's certificates [0] IMPLICIT CertificateSet, after version, digestAlgorithms and encapContentInfo.
  const certificates = signedDataFields(token).find(
    (f) => f.idBlock.tagClass === 3 && f.idBlock.tagNumber === 0,
  );
  return (children(certificates) ?? []).map((c) => new Uint8Array(c.valueBeforeDecodeView));
};
