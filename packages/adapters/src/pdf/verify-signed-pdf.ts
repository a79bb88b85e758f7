import { matchDocumentHashes } from './verification/evidence-check.js';
import {
  type DocumentVerification,
  type PadesLevel,
  type SignatureVerification,
  verifyPdfDocument,
} from './verification/verify-document.js';

export interface SignatureReport {
  /**
   * The CMS signature verifies with the embedded certificate and its message digest matches the /ByteRange; for a
   * document timestamp (`/SubFilter /ETSI.RFC3161`), the TSA's signature verifies and its imprint is the ranges' hash.
   */
  readonly cryptographicallyValid: boolean;
  /** The /ByteRange reaches the end of the file: nothing was appended after this signature. */
  readonly coversWholeDocument: boolean;
  readonly byteRange: readonly [number, number, number, number];
  readonly kind: 'signature' | 'document-timestamp';
  readonly subFilter?: string;
  readonly signerName?: string;
  /** From /M, else from the signing-time attribute. */
  readonly signingTime?: Date;
  readonly certificateSubject?: string;
  readonly certificateSha256?: string;
  /** The signature timestamp (B-T), or a document timestamp's own token; `coversSignature`: its imprint matches. */
  readonly timestamp?: { readonly time: Date; readonly coversSignature: boolean };
  /** Stable codes: `digest-mismatch`, `signature-invalid`, `changed-after-signature`… */
  readonly problems: ReadonlyArray<string>;
}

export interface VerificationReport {
  /**
   * Every signature and document timestamp valid, nothing but validation data, document timestamps and signatures
   * appended after any of them, the /DSS readable and saying no certificate is revoked, and every expectation met.
   */
  readonly valid: boolean;
  readonly signatures: ReadonlyArray<SignatureReport>;
  readonly signedSha256: string;
  /** Whether some earlier revision (the document as it was before a signature) has the expected hash. */
  readonly originalMatches?: boolean;
  /** Whether the file, or a revision of it followed only by allowed additions, has the expected hash. */
  readonly signedMatches?: boolean;
  /** The PAdES baseline level the last signature reaches. */
  readonly level?: PadesLevel;
  /** The full verification: revisions, what each adds, timestamps, /DSS. */
  readonly details: DocumentVerification;
}

export interface VerificationExpectations {
  readonly originalSha256?: string;
  readonly signedSha256?: string;
}

const summary = (s: SignatureVerification): SignatureReport => ({
  cryptographicallyValid: s.digestValid && s.signatureValid,
  coversWholeDocument: s.coversWholeDocument,
  byteRange: s.byteRange,
  kind: s.kind,
  ...(s.subFilter === undefined ? {} : { subFilter: s.subFilter }),
  ...(s.signerName === undefined ? {} : { signerName: s.signerName }),
  ...(s.signingTime === undefined ? {} : { signingTime: s.signingTime }),
  ...(s.certificateSubject === undefined ? {} : { certificateSubject: s.certificateSubject }),
  ...(s.certificateSha256 === undefined ? {} : { certificateSha256: s.certificateSha256 }),
  ...(s.timestamp?.genTime === undefined
    ? {}
    : { timestamp: { time: s.timestamp.genTime, coversSignature: s.timestamp.imprintMatches } }),
  problems: s.problems,
});

/** Checks every signature of a PDF with no outside trust: integrity and coverage, not who issued the certificate. */
export const verifySignedPdf = async (
  pdf: Uint8Array,
  expected: VerificationExpectations = {},
): Promise<VerificationReport> => {
  const details = await verifyPdfDocument(pdf);
  const hashes = matchDocumentHashes(pdf, details, expected);
  const originalMatches = hashes.original?.matches;
  const signedMatches = hashes.signed?.matches;
  return {
    valid: details.valid && originalMatches !== false && signedMatches !== false,
    signatures: details.signatures.map(summary),
    signedSha256: details.sha256,
    ...(originalMatches === undefined ? {} : { originalMatches }),
    ...(signedMatches === undefined ? {} : { signedMatches }),
    ...(details.level === undefined ? {} : { level: details.level }),
    details,
  };
};
