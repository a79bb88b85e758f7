import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { DomainError } from '../errors.js';
import type { Sha256Hex } from '../shared/types.js';

/** One signature found in a PDF, as a verifier judged it. */
export interface SignatureCheck {
  /** The CMS signature verifies with its certificate and covers its byte range. */
  readonly valid: boolean;
  readonly signerName?: string;
  readonly signingTime?: Date;
  readonly certificateSubject?: string;
  readonly problems: ReadonlyArray<string>;
}

export interface DocumentVerification {
  /** Every signature valid, the last covering the whole file, and both recorded hashes found. */
  readonly valid: boolean;
  readonly signatures: ReadonlyArray<SignatureCheck>;
  readonly sha256: Sha256Hex;
  /** Some earlier revision of the file is the original that was sent, byte for byte. */
  readonly originalMatches: boolean;
  /** The file is the signed PDF Paraphe produced, byte for byte. */
  readonly signedMatches: boolean;
}

export interface DocumentVerifier {
  /** Checks every signature of a PDF and compares it with the hashes a procedure recorded; never throws. */
  readonly verify: (
    pdf: Uint8Array,
    expected: { readonly originalSha256: Sha256Hex; readonly signedSha256: Sha256Hex },
  ) => TE.TaskEither<DomainError, DocumentVerification>;
}
