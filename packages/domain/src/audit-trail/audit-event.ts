import type { Sha256Hex } from '../shared/types.js';

/** What happened to a procedure; the timeline the sender sees and the audit trail of the proof. */
export const AUDIT_EVENT_TYPES = [
  'procedure_created',
  'invitation_sent',
  'invitation_failed',
  'delivery_retry_scheduled',
  'reminder_sent',
  'opened',
  'code_sent',
  'code_send_failed',
  'code_rejected',
  'code_verified',
  'signed',
  'declined',
  'cancelled',
  'expired',
  'follow_up_created',
  'crm_notified',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export const AUDIT_ACTORS = ['sender', 'signer', 'system'] as const;
export type AuditActor = (typeof AUDIT_ACTORS)[number];

export type AuditData = Readonly<Record<string, string | number | boolean>>;

/** An event before it is chained. */
export interface AuditEventDraft {
  readonly type: AuditEventType;
  readonly at: Date;
  readonly actor: AuditActor;
  readonly ip?: string;
  readonly userAgent?: string;
  readonly data: AuditData;
}

/** A chained event: `hash` covers every field and `previousHash`, so editing or removing one breaks the chain. */
export interface AuditEvent extends AuditEventDraft {
  readonly sequence: number;
  readonly previousHash: Sha256Hex;
  readonly hash: Sha256Hex;
}
