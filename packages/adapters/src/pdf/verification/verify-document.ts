import { createHash } from 'node:crypto';
import type * as pkijs from 'pkijs';
import { type FoundSignature, findSignatures } from '../signature-scan.js';
import { dssCertificates, readDss } from './dss-contents.js';
import { readLayers } from './pdf-layers.js';
import type { DssContents, TimestampCheck } from './report-types.js';
import { type AllowedAddition, changesIn, type RevisionChanges } from './revision-changes.js';
import { type Revision, revisionEndingAt, revisionsOf } from './revisions.js';
import {
  attributeValue,
  checkSignerInfo,
  parseSignedData,
  type SignerInfoCheck,
  x509Of,
} from './signer-info-check.js';
import { checkTimestampToken } from './timestamp-check.js';

const SIGNATURE_TIMESTAMP = '1.2.840.113549.1.9.16.2.14';
const SIGNING_TIME = '1.2.840.113549.1.9.5';

export type SignatureKind = 'signature' | 'document-timestamp';

export interface SignatureVerification {
  /** 1 for the first signature in the file. */
  readonly number: number;
  readonly kind: SignatureKind;
  readonly subFilter?: string;
  readonly signerName?: string;
  readonly signingTime?: Date;
  readonly certificateSubject?: string;
  readonly certificateSha256?: string;
  readonly byteRange: readonly [number, number, number, number];
  /** The revision (1 for the original file) whose %%EOF the byte range ends at. */
  readonly revision?: number;
  /** The ranges start at 0, leave out exactly the /Contents value, and end at a revision's %%EOF. */
  readonly byteRangeValid: boolean;
  /** The message digest (a signature) or the token's imprint (a document timestamp) is the ranges' hash. */
  readonly digestValid: boolean;
  /** The CMS signature verifies with its certificate (for a document timestamp: the TSA's). */
  readonly signatureValid: boolean;
  /** The signing-certificate(-v2) attribute names that certificate; undefined when the CMS has none. */
  readonly signingCertificateBound?: boolean;
  /** The signature timestamp (B-T), or the document timestamp's own token. */
  readonly timestamp?: TimestampCheck;
  /** What each later revision adds; anything but DSS, document timestamps and signatures is listed as other. */
  readonly laterRevisions: ReadonlyArray<RevisionChanges>;
  readonly laterChangesAllowed: boolean;
  readonly coversWholeDocument: boolean;
  readonly valid: boolean;
  readonly problems: ReadonlyArray<string>;
}

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

export interface DocumentVerification {
  /** At least one signature, each valid, and nothing but allowed additions after each. */
  readonly valid: boolean;
  readonly size: number;
  readonly sha256: string;
  readonly revisions: ReadonlyArray<Revision>;
  readonly signatures: ReadonlyArray<SignatureVerification>;
  readonly dss?: DssContents;
  /** The highest PAdES baseline level the file's last Paraphe-style signature reaches, as found. */
  readonly level?: PadesLevel;
  /** Set when the file has more signatures or revisions than `VERIFICATION_LIMITS`: it is then not verified. */
  readonly tooComplex?: 'signatures' | 'revisions';
}

/** Far above any real document (a signature per signer, a timestamp per decade); a file past them is refused. */
export const VERIFICATION_LIMITS = { signatures: 100, revisions: 1000 } as const;

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const signedParts = (pdf: Uint8Array, found: FoundSignature): ReadonlyArray<Uint8Array> => {
  const [, holeStart, holeEnd, tailLength] = found.byteRange;
  return [pdf.subarray(0, holeStart), pdf.subarray(holeEnd, holeEnd + tailLength)];
};

// The hole must be this dictionary's /Contents value: a range around some other string would leave the CMS unsigned.
const holeIsContents = (pdf: Uint8Array, found: FoundSignature): boolean => {
  const before = Buffer.from(pdf.subarray(Math.max(0, found.byteRange[1] - 32), found.byteRange[1])).toString(
    'latin1',
  );
  return /\/Contents\s*$/.test(before);
};

interface CryptoPart {
  readonly digestValid: boolean;
  readonly signatureValid: boolean;
  readonly signingCertificateBound?: boolean;
  readonly timestamp?: TimestampCheck;
  readonly certificate?: pkijs.Certificate;
  readonly signingTime?: Date;
  readonly problems: ReadonlyArray<string>;
}

const checkCmsSignature = (
  pdf: Uint8Array,
  found: FoundSignature,
  extra: ReadonlyArray<pkijs.Certificate>,
): CryptoPart => {
  const signedData = parseSignedData(found.cms);
  const check: SignerInfoCheck = checkSignerInfo(signedData, signedParts(pdf, found), extra);
  const problems: string[] = [];
  if (!check.digestMatches) problems.push('digest-mismatch');
  if (!check.signatureVerifies) problems.push('signature-invalid');
  if (check.signingCertificateBound === false) problems.push('signing-certificate-mismatch');
  // PAdES (ETSI.CAdES.detached) requires the signing-certificate-v2 attribute; adbe.pkcs7.detached does not.
  if (check.signingCertificateBound === undefined && found.subFilter === 'ETSI.CAdES.detached')
    problems.push('signing-certificate-missing');
  const token = attributeValue(check.signer.unsignedAttrs, SIGNATURE_TIMESTAMP);
  const timestamp =
    token === undefined
      ? undefined
      : checkTimestampToken(
          new Uint8Array(token.toBER(false)),
          [new Uint8Array(check.signer.signature.valueBlock.valueHexView)],
          extra,
        );
  if (timestamp !== undefined) problems.push(...timestamp.problems);
  const signingTime = (
    attributeValue(check.signer.signedAttrs, SIGNING_TIME) as { toDate?: () => Date } | undefined
  )?.toDate?.();
  return {
    digestValid: check.digestMatches,
    signatureValid: check.signatureVerifies,
    ...(check.signingCertificateBound === undefined
      ? {}
      : { signingCertificateBound: check.signingCertificateBound }),
    ...(timestamp === undefined ? {} : { timestamp }),
    ...(check.certificate === undefined ? {} : { certificate: check.certificate }),
    ...(signingTime === undefined ? {} : { signingTime }),
    problems,
  };
};

const checkDocumentTimestamp = (
  pdf: Uint8Array,
  found: FoundSignature,
  extra: ReadonlyArray<pkijs.Certificate>,
): CryptoPart => {
  const timestamp = checkTimestampToken(new Uint8Array(found.cms), signedParts(pdf, found), extra);
  return {
    digestValid: timestamp.imprintMatches,
    signatureValid: timestamp.tsaSignatureValid,
    timestamp,
    problems: timestamp.problems,
  };
};

const cryptoPart = (
  pdf: Uint8Array,
  found: FoundSignature,
  kind: SignatureKind,
  extra: ReadonlyArray<pkijs.Certificate>,
): CryptoPart => {
  try {
    return kind === 'document-timestamp'
      ? checkDocumentTimestamp(pdf, found, extra)
      : checkCmsSignature(pdf, found, extra);
  } catch {
    return { digestValid: false, signatureValid: false, problems: ['signature-unreadable'] };
  }
};

const levelOf = (
  signatures: ReadonlyArray<SignatureVerification>,
  dss: DssContents | undefined,
): PadesLevel | undefined => {
  const last = signatures
    .filter((s) => s.kind === 'signature' && s.subFilter === 'ETSI.CAdES.detached')
    .at(-1);
  if (last === undefined) return undefined;
  const later = signatures.filter((s) => s.number > last.number);
  const timestamped = last.timestamp !== undefined || later.some((s) => s.kind === 'document-timestamp');
  if (!timestamped) return 'B-B';
  const validationData =
    dss !== undefined &&
    dss.certificates.length > 0 &&
    dss.ocspResponses.length + dss.crls.length > 0 &&
    last.laterRevisions.some((r) => r.adds.includes('dss'));
  if (!validationData) return 'B-T';
  const dssRevision = last.laterRevisions.filter((r) => r.adds.includes('dss')).at(-1)?.revision ?? -1;
  const archived = later.some((s) => s.kind === 'document-timestamp' && (s.revision ?? 0) - 1 > dssRevision);
  return archived ? 'B-LTA' : 'B-LT';
};

/** Every DSS entry readable, every OCSP response and CRL signed by a certificate at hand, none saying revoked. */
export const dssHolds = (dss: DssContents): boolean =>
  dss.unreadable === 0 &&
  [...dss.ocspResponses, ...dss.crls].every(
    (r) => r.signatureValid && r.answers.every((a) => a.status !== 'revoked'),
  );

/** A revision whose signature or document timestamp is not one any found signature ends with: not an allowed change. */
const unsignedAdditions = (changes: RevisionChanges, signed: boolean): RevisionChanges =>
  signed || !changes.adds.some((a) => a === 'signature' || a === 'document-timestamp')
    ? changes
    : { ...changes, otherChanges: [...changes.otherChanges, 'a signature no verifiable signature covers'] };

/**
 * Verifies every signature and document timestamp of a PDF with no outside trust (integrity and coverage, not who
 * issued the certificates), what each later revision adds, and the /DSS. Pure: reads only the given bytes.
 */
export const verifyPdfDocument = async (pdf: Uint8Array): Promise<DocumentVerification> => {
  const revisions = revisionsOf(pdf);
  // One scan: one signature past the limit is enough to refuse the file.
  const found = findSignatures(pdf, VERIFICATION_LIMITS.signatures + 1);
  const tooComplex =
    revisions.length > VERIFICATION_LIMITS.revisions
      ? 'revisions'
      : found.length > VERIFICATION_LIMITS.signatures
        ? 'signatures'
        : undefined;
  if (tooComplex !== undefined)
    return {
      valid: false,
      size: pdf.length,
      sha256: sha256Hex(pdf),
      revisions: [],
      signatures: [],
      tooComplex,
    };
  const layers = await readLayers(pdf, revisions);
  // The revisions some found signature ends with: one that adds a signature or document timestamp no signature ends
  // with (its /ByteRange edited away, say) added something nobody signed.
  const signedRevisions = new Set(
    found.map((f) => revisionEndingAt(revisions, f.byteRange[2] + f.byteRange[3])?.index),
  );
  const changes = revisions.map((r) =>
    r.index === 0 ? undefined : unsignedAdditions(changesIn(layers, r.index), signedRevisions.has(r.index)),
  );
  const extra = dssCertificates(layers);
  const certificates: pkijs.Certificate[] = [];
  const signatures = found.map((f, i): SignatureVerification => {
    const kind: SignatureKind = f.subFilter === 'ETSI.RFC3161' ? 'document-timestamp' : 'signature';
    const end = f.byteRange[2] + f.byteRange[3];
    const revision = revisionEndingAt(revisions, end);
    const byteRangeValid = revision !== undefined && holeIsContents(pdf, f);
    const crypto = cryptoPart(pdf, f, kind, extra);
    if (crypto.certificate !== undefined) certificates.push(crypto.certificate);
    const laterRevisions =
      revision === undefined
        ? []
        : changes.slice(revision.index + 1).filter((c): c is RevisionChanges => c !== undefined);
    const laterChangesAllowed =
      revision !== undefined && laterRevisions.every((c) => c.otherChanges.length === 0);
    const x509 = crypto.certificate === undefined ? undefined : x509Of(crypto.certificate);
    const signingTime = f.signingTime ?? crypto.signingTime;
    const problems = [
      ...(byteRangeValid ? [] : ['byte-range-invalid']),
      ...crypto.problems,
      ...(laterChangesAllowed || revision === undefined ? [] : ['changed-after-signature']),
    ];
    return {
      number: i + 1,
      kind,
      ...(f.subFilter === undefined ? {} : { subFilter: f.subFilter }),
      ...(f.name === undefined ? {} : { signerName: f.name }),
      ...(signingTime === undefined ? {} : { signingTime }),
      ...(x509 === undefined
        ? {}
        : { certificateSubject: x509.subject.replace(/\n/g, ', '), certificateSha256: x509.fingerprint256 }),
      byteRange: f.byteRange,
      ...(revision === undefined ? {} : { revision: revision.index + 1 }),
      byteRangeValid,
      digestValid: crypto.digestValid,
      signatureValid: crypto.signatureValid,
      ...(crypto.signingCertificateBound === undefined
        ? {}
        : { signingCertificateBound: crypto.signingCertificateBound }),
      ...(crypto.timestamp === undefined ? {} : { timestamp: crypto.timestamp }),
      laterRevisions,
      laterChangesAllowed,
      coversWholeDocument: end === pdf.length,
      valid: problems.length === 0,
      problems,
    };
  });
  const dss = readDss(layers, certificates);
  const level = levelOf(signatures, dss);
  return {
    valid: signatures.length > 0 && signatures.every((s) => s.valid) && (dss === undefined || dssHolds(dss)),
    size: pdf.length,
    sha256: sha256Hex(pdf),
    revisions,
    signatures,
    ...(dss === undefined ? {} : { dss }),
    ...(level === undefined ? {} : { level }),
  };
};

export type { AllowedAddition, RevisionChanges };
