import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { AuditEvent } from '../audit-trail/audit-event.js';
import type { Language, ProcedureId, Sha256Hex } from '../shared/types.js';
import type { SealingError } from './sealing-error.js';

export interface CertificateSigner {
  readonly name: string;
  readonly email: string;
  readonly maskedMobile: string;
  readonly role: 'contact' | 'countersigner';
  readonly identityCheck: {
    readonly method: 'sms-code';
    readonly maskedMobile: string;
    readonly codesSentAt: ReadonlyArray<Date>;
    readonly verifiedAt: Date;
    readonly wrongAttempts: number;
  };
  readonly consentText: string;
  readonly signedAt: Date;
  /** Where the signature came from, as the signing request said. */
  readonly ip?: string;
  readonly userAgent?: string;
}

/** Everything the certificate of signature states; the renderer adds the platform certificate's fingerprint. */
export interface CertificateData {
  /** The tenant's language; the renderer may print a second one beside it. */
  readonly language: Language;
  readonly timeZone: string;
  readonly procedureId: ProcedureId;
  readonly quoteNumber: string;
  readonly tenantName: string;
  readonly sender: { readonly name: string; readonly email?: string };
  /** The quote's file as the CRM named it, and its page count. */
  readonly document: { readonly name: string; readonly pageCount: number };
  readonly originalSha256: Sha256Hex;
  readonly signedSha256: Sha256Hex;
  /** Every signer, in the list's order: who, how their identity was checked, what they consented to, and when. */
  readonly signers: ReadonlyArray<CertificateSigner>;
  readonly signingOrder: 'sequential' | 'parallel';
  /** The last signature's time. */
  readonly signedAt: Date;
  /** The timeline up to the signature, in order: events chained later (follow-up, CRM) are not on the certificate. */
  readonly events: ReadonlyArray<AuditEvent>;
  /** The head at signature: the hash of the `signed` event, the last of `events`. */
  readonly auditChainHead: Sha256Hex;
}

export interface CertificateRenderer {
  /** Renders the certificate of signature as a PDF, itself sealed like the signed document. */
  readonly render: (data: CertificateData) => TE.TaskEither<SealingError, Uint8Array>;
}
