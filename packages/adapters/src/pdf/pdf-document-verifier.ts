import { type DocumentVerifier, domainError, type Sha256Hex } from '@paraphe/domain';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { verifySignedPdf } from './verify-signed-pdf.js';

/** The `DocumentVerifier` port over `verifySignedPdf`: a file it cannot parse is `DOCUMENT_UNREADABLE`. */
export const makePdfDocumentVerifier = (): DocumentVerifier => ({
  verify: (pdf, expected) =>
    TE.tryCatch(
      async () => {
        const report = await verifySignedPdf(pdf, expected);
        return {
          valid: report.valid,
          signatures: report.signatures.map((s) => ({
            valid: s.cryptographicallyValid,
            ...(s.signerName === undefined ? {} : { signerName: s.signerName }),
            ...(s.signingTime === undefined ? {} : { signingTime: s.signingTime }),
            ...(s.certificateSubject === undefined ? {} : { certificateSubject: s.certificateSubject }),
            problems: s.problems,
          })),
          sha256: report.signedSha256 as Sha256Hex,
          originalMatches: report.originalMatches === true,
          signedMatches: report.signedMatches === true,
        };
      },
      () => domainError('DOCUMENT_UNREADABLE'),
    ),
});
