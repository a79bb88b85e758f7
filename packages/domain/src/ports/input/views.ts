import type { AuditActor, AuditData, AuditEventType } from '../../audit-trail/audit-event.js';
import type { CreditBalance, HoldStatus } from '../../credit-ledger/credit-ledger.js';
import type { Language, ProcedureId, QuoteId, Sha256Hex } from '../../shared/types.js';
import type { ProcedureStatus } from '../../signature-procedure/procedure-status.js';
import type {
  SignerRole,
  SignerStatus,
  SigningOrder,
} from '../../signature-procedure/signature-procedure.js';

export interface TimelineEntry {
  readonly sequence: number;
  readonly type: AuditEventType;
  readonly at: Date;
  readonly actor: AuditActor;
  readonly ip?: string;
  readonly userAgent?: string;
  readonly data: AuditData;
  /** The chain's links, so anyone can re-check the timeline (see `CANONICAL_FORM`). */
  readonly previousHash: Sha256Hex;
  readonly hash: Sha256Hex;
  /**
   * On the `signed` event that completed the procedure only (with several signers, the last one): its hash is the head printed on the certificate. Events after it (follow-up action,
   * CRM notification) are chained on later; the chain up to this one checks against the certificate.
   */
  readonly headAtSignature?: true;
}

/** One signer of a procedure as its sender sees them. */
export interface SignerView {
  /** 0-based, the list's order. */
  readonly position: number;
  readonly role: SignerRole;
  readonly name: string;
  readonly email: string;
  readonly maskedMobile: string;
  readonly status: SignerStatus;
  readonly signedAt?: Date;
  readonly declinedAt?: Date;
  readonly remindersSent: number;
}

/** A procedure as its sender sees it. */
export interface ProcedureView {
  readonly id: ProcedureId;
  readonly quoteId: QuoteId;
  readonly quoteNumber: string;
  /** The least advanced awaited signer's status while in progress (see `signers` for each one's). */
  readonly status: ProcedureStatus;
  /** The first signer: what a CRM written for one signer reads. */
  readonly signer: { readonly name: string; readonly email: string; readonly maskedMobile: string };
  readonly signingOrder: SigningOrder;
  /** Every signer, in the list's order: who has signed and who is awaited. */
  readonly signers: ReadonlyArray<SignerView>;
  readonly createdAt: Date;
  readonly deadline: Date;
  /** Once signed: the last signature's time. */
  readonly signedAt?: Date;
  readonly endedAt?: Date;
  readonly declineReason?: string;
  readonly credit: HoldStatus;
  readonly documentSha256: Sha256Hex;
  /** Once signed: the final PDF's hash. */
  readonly signedDocumentSha256?: Sha256Hex;
  /** The hash of the timeline's last event: it moves on as events are added after the signature. */
  readonly auditChainHead: Sha256Hex;
  /** Once signed: the head printed on the certificate, the hash of the entry marked `headAtSignature`. */
  readonly auditChainHeadAtSignature?: Sha256Hex;
  readonly timeline: ReadonlyArray<TimelineEntry>;
}

/** What the signing page shows once the token matched; nothing about the procedure is shown before that. */
export interface SigningPageView {
  /**
   * While the procedure runs, this signer's own progress (`sent`, `opened`, `verified`, or `signed` while others are
   * awaited: see `signers`); once it ended, the procedure's status. Past the deadline it reads `expired`, swept or not.
   */
  readonly status: ProcedureStatus;
  /** This signer's 0-based position in the list. */
  readonly position: number;
  readonly signingOrder: SigningOrder;
  /** Every signer by name only (no email or mobile of the others): who signed and who is awaited. */
  readonly signers: ReadonlyArray<{
    readonly name: string;
    readonly status: SignerStatus;
    readonly signedAt?: Date;
  }>;
  readonly language: Language;
  readonly timeZone: string;
  readonly quoteNumber: string;
  readonly senderName: string;
  readonly signerName: string;
  readonly maskedMobile: string;
  readonly deadline: Date;
  readonly documentFileName: string;
  readonly consentText: string;
  readonly codes: {
    readonly sent: number;
    readonly remaining: number;
    /** Seconds before another code may be requested; 0 when it may be now. */
    readonly retryAfterSeconds: number;
    /** Whether a code was sent and can still be typed. */
    readonly active: boolean;
    readonly attemptsLeft: number;
  };
}

export interface CreditsView extends CreditBalance {}

export interface DownloadedFile {
  readonly fileName: string;
  readonly contentType: 'application/pdf';
  readonly bytes: Uint8Array;
}

/** What `system.health()` reports for an operator's probe. */
export interface HealthReport {
  /** The storage answered a read now; when it did not, `storageError` is its error code. */
  readonly storage: 'ok' | 'unreachable';
  readonly storageError?: string;
  /** How long the longest-waiting due outbox message has waited, in ms; 0 when nothing is due (or unknown). */
  readonly oldestDueMessageAgeMs: number;
  /** How long the oldest deadline passed without its procedure being expired by a sweep, in ms; 0 when none. */
  readonly oldestOverdueExpiryAgeMs: number;
}
