import type { AuditEvent } from '../audit-trail/audit-event.js';
import type { HoldStatus, LedgerEntry } from '../credit-ledger/credit-ledger.js';
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
import type { ProcedureStatus } from './procedure-status.js';

export interface Signer {
  readonly name: string;
  readonly email: EmailAddress;
  readonly mobile: MobileNumber;
}

/** One attempt at getting one quote signed. What was decided at sending (deadline, code policy, document hash) is frozen here. */
export interface SignatureProcedure {
  readonly id: ProcedureId;
  readonly tenantId: TenantId;
  readonly quoteId: QuoteId;
  readonly quoteNumber: string;
  readonly senderId: UserId;
  readonly signer: Signer;
  readonly language: Language;
  readonly timeZone: string;
  readonly document: { readonly fileName: string; readonly sha256: Sha256Hex; readonly byteLength: number };
  readonly tokenHash: Sha256Hex;
  /** The token encrypted under a key the database never holds, so reminders can carry the link again. */
  readonly sealedToken: string;
  readonly idempotencyKey?: string;
  readonly status: ProcedureStatus;
  readonly createdAt: Date;
  readonly deadline: Date;
  readonly smsPolicy: SmsCodePolicy;
  readonly sms: SmsCodeState;
  /** Mirrors the ledger: where this procedure's one credit stands. */
  readonly credit: HoldStatus;
  readonly remindersSent: number;
  readonly signedAt?: Date;
  readonly signedSha256?: Sha256Hex;
  readonly consentText?: string;
  readonly endedAt?: Date;
  readonly declineReason?: string;
  /** The hash-chained timeline. */
  readonly events: ReadonlyArray<AuditEvent>;
  /** Increases with every change; storage uses it to refuse lost updates. */
  readonly version: number;
}

/** The result of a transition: the new procedure, the events it appended and the ledger entries it implies. */
export interface Transition {
  readonly procedure: SignatureProcedure;
  readonly events: ReadonlyArray<AuditEvent>;
  readonly ledger: ReadonlyArray<LedgerEntry>;
}
