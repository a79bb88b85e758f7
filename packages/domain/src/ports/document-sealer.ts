import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Language, ProcedureId, Sha256Hex } from '../shared/types.js';
import type { SealingError } from './sealing-error.js';

export interface DocumentInfo {
  readonly pageCount: number;
}

export interface SealRequest {
  /** The frozen original: its bytes stay an exact prefix of the sealed output. */
  readonly document: Uint8Array;
  readonly procedureId: ProcedureId;
  readonly signerName: string;
  readonly signedAt: Date;
  /** IANA zone used to print the local time on the stamp (`Europe/Paris`). */
  readonly timeZone: string;
  readonly language: Language;
  readonly originalSha256: Sha256Hex;
  /**
   * With several signers: this signer's position and how many sign. The first seal lays out every signer's signature
   * field and fills its own; a later one (its `document` the previous output) only fills its own empty field.
   */
  readonly slot?: { readonly position: number; readonly count: number };
  /** What the seal's stamp says it seals: the signed quote (by default), or Paraphe's own certificate of signature. */
  readonly subject?: 'document' | 'certificate';
}

export interface DocumentSealer {
  /** Tells whether a document can be sealed: `DOCUMENT_UNREADABLE`, `DOCUMENT_ENCRYPTED`…; never throws. */
  readonly inspect: (document: Uint8Array) => TE.TaskEither<SealingError, DocumentInfo>;
  /** Adds a visible stamp and a PAdES signature as an incremental update; earlier signatures stay valid. */
  readonly seal: (request: SealRequest) => TE.TaskEither<SealingError, Uint8Array>;
}
