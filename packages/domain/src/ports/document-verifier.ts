import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { PadesLevel } from '../audit-trail/evidence-file.js';
import type { DomainError } from '../errors.js';
import type { ProcedureId, Sha256Hex } from '../shared/types.js';

/** One signature found in a PDF, as a verifier judged it. */
export interface SignatureCheck {
  /** The CMS signature verifies with its certificate and covers its byte range. */
  readonly valid: boolean;
  readonly signerName?: string;
  readonly signingTime?: Date;
  readonly certificateSubject?: string;
  readonly problems: ReadonlyArray<string>;
}

/** One named check of the offline verifier (`paraphe-verify --json` lists the same). */
export interface VerificationCheck {
  /** A stable name: `byte-range`, `digest`, `cms-signature`, `timestamp-imprint`, `audit-chain`… */
  readonly name: string;
  /** The file it is about: the signed document or the certificate of signature. */
  readonly file: 'document' | 'certificate';
  /** The signature's number in that file, for a signature's checks. */
  readonly signature?: number;
  readonly ok: boolean;
  readonly details: Readonly<Record<string, string | number | boolean | ReadonlyArray<string>>>;
}

export interface DocumentVerification {
  /** Every check holds: each signature valid, nothing but allowed additions after it, both recorded hashes found. */
  readonly valid: boolean;
  readonly signatures: ReadonlyArray<SignatureCheck>;
  readonly sha256: Sha256Hex;
  /** Some earlier revision of the file is the original that was sent, byte for byte. */
  readonly originalMatches: boolean;
  /** The file is the signed PDF Paraphe produced, byte for byte (or that file with validation data appended). */
  readonly signedMatches: boolean;
  /** Every check made, by name: the signatures, timestamps, /DSS, and the certificate's when one was given. */
  readonly checks: ReadonlyArray<VerificationCheck>;
  /** The PAdES baseline level the document's last signature reaches. */
  readonly level?: PadesLevel;
}

export interface VerificationExpectations {
  readonly originalSha256: Sha256Hex;
  readonly signedSha256: Sha256Hex;
  /** With a certificate: the procedure its evidence must name, and the audit chain's head at signature. */
  readonly procedureId?: ProcedureId;
  readonly headAtSignature?: Sha256Hex;
}

export interface DocumentVerifier {
  /**
   * Checks every signature of a PDF and compares it with the hashes a procedure recorded; given the certificate of
   * signature too, its own signatures and the evidence it carries against the procedure. Never throws.
   */
  readonly verify: (
    pdf: Uint8Array,
    expected: VerificationExpectations,
    certificate?: Uint8Array,
  ) => TE.TaskEither<DomainError, DocumentVerification>;
}
