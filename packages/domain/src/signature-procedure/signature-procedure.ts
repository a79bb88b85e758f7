import type { AuditEvent } from '../audit-trail/audit-event.js';
import type { LedgerEntry } from '../credit-ledger/credit-ledger.js';
import type {
  EmailAddress,
  Language,
  MobileNumber,
  ProcedureId,
  QuoteId,
  Sha256Hex,
  TenantId,
  UserId,
} from '../shared/types.js';
import type { SmsCodeState } from '../sms-code/sms-code.js';
import type { SmsCodePolicy } from '../tenant-settings/tenant-settings.js';

/** Who signs, as the send rules proved them: reachable by email and by mobile. */
export interface Signer {
  readonly name: string;
  readonly email: EmailAddress;
  readonly mobile: MobileNumber;
}

/** The quote's contact (or another contact the CRM returns for the quote), or a user of the tenant countersigning. */
export type SignerRole = 'contact' | 'countersigner';

/** In the list's order, each signer is invited when the one before has signed; in parallel, all at once. */
export type SigningOrder = 'sequential' | 'parallel';

/** At most this many signers on one procedure: a limit a send is refused over, not a silent cut. */
export const MAX_SIGNERS = 10;

/**
 * Where one signer stands. `waiting`: not their turn yet (sequential order), no invitation queued, their link refused;
 * `pending`: their invitation is queued; then `sent`, `opened`, `verified` (their SMS code), and `signed` or `declined`.
 */
export type SignerProgress =
  | { readonly status: 'waiting' | 'pending' | 'sent' | 'opened' | 'verified' }
  | {
      readonly status: 'signed';
      readonly signedAt: Date;
      /** The PDF as it stood after this signer's seal: the final one for the last signer. */
      readonly signedSha256: Sha256Hex;
      readonly consentText: string;
    }
  | { readonly status: 'declined'; readonly declinedAt: Date; readonly declineReason?: string };

export type SignerStatus = SignerProgress['status'];

/** One signer of a procedure: who, their own link, their own code policy state and reminders, and how far they got. */
export type ProcedureSigner = SignerProgress & {
  /** 0-based position in the list: the order of signing in sequence, and of the stamp areas on the PDF. */
  readonly position: number;
  readonly role: SignerRole;
  /** The CRM's contact id (role `contact`) or user id (role `countersigner`). */
  readonly reference: string;
  readonly identity: Signer;
  readonly tokenHash: Sha256Hex;
  /** Their token encrypted under a key the database never holds, so invitations and reminders can carry the link. */
  readonly sealedToken: string;
  readonly sms: SmsCodeState;
  readonly remindersSent: number;
};

/** The procedure statuses while it is in progress: the least advanced of the signers it awaits. */
export type InProgressStatus = 'pending' | 'sent' | 'opened' | 'verified';
/** The statuses of a procedure that ended without its signatures; its credit came back. */
export type UnsignedEndStatus = 'expired' | 'cancelled' | 'declined' | 'failed';

/** What was decided at sending (signers, order, deadline, code policy, document hash) is frozen here. */
interface ProcedureBase {
  readonly id: ProcedureId;
  readonly tenantId: TenantId;
  readonly quoteId: QuoteId;
  readonly quoteNumber: string;
  readonly senderId: UserId;
  readonly language: Language;
  readonly timeZone: string;
  readonly document: {
    readonly fileName: string;
    readonly sha256: Sha256Hex;
    readonly byteLength: number;
    /** Its pages as the sealer counted them at sending (the certificate states them); absent if sent before. */
    readonly pageCount?: number;
  };
  readonly idempotencyKey?: string;
  readonly createdAt: Date;
  readonly deadline: Date;
  readonly smsPolicy: SmsCodePolicy;
  readonly signingOrder: SigningOrder;
  /** The sender's invitation text, kept only when some signer is invited later (in sequence, after the first). */
  readonly invitation?: { readonly subject: string; readonly body: string };
  /** In the list's order; never empty, at most `MAX_SIGNERS`. */
  readonly signers: ReadonlyArray<ProcedureSigner>;
  /** The hash-chained timeline, every signer's events on the one chain. */
  readonly events: ReadonlyArray<AuditEvent>;
  /** Increases with every change; storage uses it to refuse lost updates. */
  readonly version: number;
}

/** Awaiting signatures: the credit is held. */
export interface InProgressProcedure extends ProcedureBase {
  readonly status: InProgressStatus;
  readonly credit: 'reserved';
}

/** Every signer signed: the credit is captured. */
export interface SignedProcedure extends ProcedureBase {
  readonly status: 'signed';
  readonly credit: 'captured';
  /** The last signature's time. */
  readonly signedAt: Date;
  /** The final PDF, every signature in it. */
  readonly signedSha256: Sha256Hex;
  readonly endedAt: Date;
}

/** Declined, cancelled, expired or failed: the credit came back, every pending signer's link is dead. */
export interface UnsignedProcedure extends ProcedureBase {
  readonly status: UnsignedEndStatus;
  readonly credit: 'released';
  readonly endedAt: Date;
  readonly declineReason?: string;
}

/** One attempt at getting one quote signed, by one signer or several. */
export type SignatureProcedure = InProgressProcedure | SignedProcedure | UnsignedProcedure;

/** The result of a transition: the new procedure, the events it appended and the ledger entries it implies. */
export interface Transition {
  readonly procedure: SignatureProcedure;
  readonly events: ReadonlyArray<AuditEvent>;
  readonly ledger: ReadonlyArray<LedgerEntry>;
}
