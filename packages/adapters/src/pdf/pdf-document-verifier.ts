import {
  type DocumentVerification,
  type DocumentVerifier,
  domainError,
  type Sha256Hex,
  type VerificationCheck,
  type VerificationExpectations,
} from '@paraphe/domain';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { matchDocumentHashes } from './verification/evidence-check.js';
import { checksOf } from './verification/verification-checks.js';
import { type EvidenceVerification, verifyEvidence } from './verification/verify-evidence.js';

/** What the certificate's evidence states must be this procedure's: its id, its two hashes, its head at signature. */
const procedureChecks = (
  report: EvidenceVerification,
  expected: VerificationExpectations,
): ReadonlyArray<VerificationCheck> => {
  const evidence = report.certificate?.evidence;
  if (evidence === undefined || !evidence.found) return [];
  const stated = evidence.evidence;
  const check = (name: string, ok: boolean, details: VerificationCheck['details']): VerificationCheck => ({
    name,
    file: 'certificate',
    ok,
    details,
  });
  return [
    ...(expected.procedureId === undefined
      ? []
      : [
          check('evidence-procedure', stated.procedureId === expected.procedureId, {
            procedureId: stated.procedureId,
          }),
        ]),
    check(
      'evidence-hashes',
      stated.document.originalSha256 === expected.originalSha256 &&
        stated.document.signedSha256 === expected.signedSha256,
      { originalSha256: stated.document.originalSha256, signedSha256: stated.document.signedSha256 },
    ),
    ...(expected.headAtSignature === undefined
      ? []
      : [
          check('evidence-head', stated.chain.headAtSignature === expected.headAtSignature, {
            headAtSignature: stated.chain.headAtSignature,
          }),
        ]),
  ];
};

const verification = (
  pdf: Uint8Array,
  expected: VerificationExpectations,
  report: EvidenceVerification,
): DocumentVerification => {
  const hashes = matchDocumentHashes(pdf, report.document, expected);
  const checks = [...checksOf(report), ...procedureChecks(report, expected)];
  const originalMatches = hashes.original?.matches === true;
  const signedMatches = hashes.signed?.matches === true;
  return {
    valid: report.valid && checks.every((c) => c.ok) && originalMatches && signedMatches,
    signatures: report.document.signatures.map((s) => ({
      valid: s.valid,
      ...(s.signerName === undefined ? {} : { signerName: s.signerName }),
      ...(s.signingTime === undefined ? {} : { signingTime: s.signingTime }),
      ...(s.certificateSubject === undefined ? {} : { certificateSubject: s.certificateSubject }),
      problems: s.problems,
    })),
    sha256: report.document.sha256 as Sha256Hex,
    originalMatches,
    signedMatches,
    checks,
    ...(report.document.level === undefined ? {} : { level: report.document.level }),
  };
};

/** The `DocumentVerifier` port over the offline verifier: a file it cannot parse is `DOCUMENT_UNREADABLE`. */
export const makePdfDocumentVerifier = (): DocumentVerifier => ({
  verify: (pdf, expected, certificate) =>
    TE.tryCatch(
      async () =>
        verification(
          pdf,
          expected,
          await verifyEvidence({ document: pdf, ...(certificate === undefined ? {} : { certificate }) }),
        ),
      () => domainError('DOCUMENT_UNREADABLE'),
    ),
});
