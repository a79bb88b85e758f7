import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { AuditEventType } from '../audit-trail/audit-event.js';
import type { ProcedureId, QuoteId, TenantId } from '../shared/types.js';
import type { ProcedureStatus } from '../signature-procedure/procedure-status.js';
import type { DeliveryError } from './delivery-error.js';

/** A lifecycle change told to the CRM; `id` is unique per event so a receiver can de-duplicate retries. */
export interface LifecycleNotification {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly procedureId: ProcedureId;
  readonly quoteId: QuoteId;
  readonly type: AuditEventType;
  readonly status: ProcedureStatus;
  readonly at: Date;
  /** Why, when the change has a reason: the signer's decline, the sender's cancel, an undeliverable invitation. */
  readonly reason?: string;
  /** With several signers: whose step it was (0-based position, and name), when a signer's event caused it. */
  readonly signer?: { readonly position: number; readonly name: string };
  /** With several signers: how many have signed, of how many. */
  readonly signers?: { readonly signed: number; readonly total: number };
}

export interface LifecycleNotifier {
  /**
   * Delivers one notification (at least once); the same `id` may arrive twice. A receiver refusing it for good (an
   * HTTP 4xx, a private target) is `retryable: false`: it is attempted once, never again.
   */
  readonly notify: (notification: LifecycleNotification) => TE.TaskEither<DeliveryError, void>;
}
