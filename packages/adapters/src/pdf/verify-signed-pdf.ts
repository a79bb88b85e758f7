import { createHash, verify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './cms-oids.js';
import { type FoundSignature, findSignatures, previousRevisionEnds } from './signature-scan.js';
import { readTstInfo } from './timestamp-client.js';

export interface SignatureReport {
  /** The CMS signature verifies with the embedded certificate and its message digest matches the /ByteRange. */
  readonly cryptographicallyValid: boolean;
  /** The /ByteRange reaches the end of the file: nothing was appended after this signature. */
  readonly coversWholeDocument: boolean;
  readonly byteRange: readonly [number, number, number, number];
  readonly subFilter?: string;
  readonly signerName?: string;
  /** From /M, else from the signing-time attribute. */
  readonly signingTime?: Date;
  readonly certificateSubject?: string;
  readonly certificateSha256?: string;
  readonly timestamp?: { readonly time: Date; readonly coversSignature: boolean };
  readonly problems: ReadonlyArray<string>;
}

export interface VerificationReport {
  /** Every signature valid, the last one covering the whole file, and every given expectation met. */
  readonly valid: boolean;
  readonly signatures: ReadonlyArray<SignatureReport>;
  readonly signedSha256: string;
  /** Whether some earlier revision (the document as it was before a signature) has the expected hash. */
  readonly originalMatches?: boolean;
  readonly signedMatches?: boolean;
}

export interface VerificationExpectations {
  readonly originalSha256?: string;
  readonly signedSha256?: string;
}

const sha256 = (...parts: ReadonlyArray<Uint8Array>): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const attributeValue = (attributes: pkijs.SignedAndUnsignedAttributes | undefined, oid: string) =>
  attributes?.attributes.find((a) => a.type === oid)?.values[0];

const checkCms = (
  pdf: Uint8Array,
  found: FoundSignature,
): Omit<SignatureReport, 'coversWholeDocument' | 'byteRange'> => {
  const problems: string[] = [];
  const [, holeStart, holeEnd, tailLength] = found.byteRange;
  const contentDigest = sha256(pdf.subarray(0, holeStart), pdf.subarray(holeEnd, holeEnd + tailLength));
  const parsed = asn1js.fromBER(found.cms);
  if (parsed.offset === -1) throw new Error(parsed.result.error);
  const signedData = new pkijs.SignedData({
    schema: new pkijs.ContentInfo({ schema: parsed.result }).content,
  });
  const signer = signedData.signerInfos[0];
  if (signer === undefined || signer.signedAttrs === undefined)
    throw new Error('no signer with signed attributes');
  const sid = signer.sid as pkijs.IssuerAndSerialNumber;
  const certificate = (signedData.certificates ?? []).find(
    (c): c is pkijs.Certificate =>
      c instanceof pkijs.Certificate &&
      c.serialNumber.isEqual(sid.serialNumber) &&
      c.issuer.isEqual(sid.issuer),
  );
  if (certificate === undefined) throw new Error('signer certificate not embedded');
  const x509 = new X509Certificate(Buffer.from(certificate.toSchema().toBER(false)));

  const messageDigest = attributeValue(signer.signedAttrs, OID.messageDigest);
  const digestMatches = Buffer.from(messageDigest?.valueBlock.valueHexView ?? []).equals(contentDigest);
  if (!digestMatches) problems.push('message digest does not match the signed byte range');
  // The signature covers the attributes re-tagged as a universal SET.
  const original = signer.signedAttrs.encodedValue;
  const toVerify = Buffer.from(
    original.byteLength > 0 ? original : signer.signedAttrs.toSchema().toBER(false),
  );
  toVerify[0] = 0x31;
  const signatureOk =
    signer.digestAlgorithm.algorithmId === OID.sha256 &&
    verify('sha256', toVerify, x509.publicKey, Buffer.from(signer.signature.valueBlock.valueHexView));
  if (!signatureOk) problems.push('signature value does not verify with the embedded certificate');

  const tokenValue = attributeValue(signer.unsignedAttrs, OID.signatureTimeStampToken);
  let timestamp: SignatureReport['timestamp'];
  if (tokenValue !== undefined) {
    const info = readTstInfo(new Uint8Array(tokenValue.toBER(false)));
    const imprint = sha256(new Uint8Array(signer.signature.valueBlock.valueHexView));
    const coversSignature = Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView).equals(
      imprint,
    );
    if (!coversSignature) problems.push('timestamp does not cover this signature');
    timestamp = { time: info.genTime, coversSignature };
  }
  const signingTimeAttr = attributeValue(signer.signedAttrs, OID.signingTime) as
    | { toDate?: () => Date }
    | undefined;
  const signingTime = found.signingTime ?? signingTimeAttr?.toDate?.();
  return {
    cryptographicallyValid: digestMatches && signatureOk,
    certificateSubject: x509.subject.replace(/\n/g, ', '),
    certificateSha256: x509.fingerprint256,
    ...(found.subFilter === undefined ? {} : { subFilter: found.subFilter }),
    ...(found.name === undefined ? {} : { signerName: found.name }),
    ...(signingTime === undefined ? {} : { signingTime }),
    ...(timestamp === undefined ? {} : { timestamp }),
    problems,
  };
};

const report = (pdf: Uint8Array, found: FoundSignature): SignatureReport => {
  const coversWholeDocument = found.byteRange[2] + found.byteRange[3] === pdf.length;
  try {
    return { ...checkCms(pdf, found), coversWholeDocument, byteRange: found.byteRange };
  } catch (e) {
    const problem = `unreadable signature: ${e instanceof Error ? e.message : String(e)}`;
    return {
      cryptographicallyValid: false,
      coversWholeDocument,
      byteRange: found.byteRange,
      problems: [problem],
    };
  }
};

/** Checks every signature of a PDF with no outside trust: integrity and coverage, not who issued the certificate. */
export const verifySignedPdf = async (
  pdf: Uint8Array,
  expected: VerificationExpectations = {},
): Promise<VerificationReport> => {
  const signatures = findSignatures(pdf).map((found) => report(pdf, found));
  const signedSha256 = sha256(pdf).toString('hex');
  const last = signatures.at(-1);
  const originalMatches =
    expected.originalSha256 === undefined
      ? undefined
      : previousRevisionEnds(pdf).some(
          (end) => sha256(pdf.subarray(0, end)).toString('hex') === expected.originalSha256,
        );
  const signedMatches =
    expected.signedSha256 === undefined ? undefined : expected.signedSha256 === signedSha256;
  const valid =
    last?.coversWholeDocument === true &&
    signatures.every((s) => s.cryptographicallyValid) &&
    originalMatches !== false &&
    signedMatches !== false;
  return {
    valid,
    signatures,
    signedSha256,
    ...(originalMatches === undefined ? {} : { originalMatches }),
    ...(signedMatches === undefined ? {} : { signedMatches }),
  };
};
