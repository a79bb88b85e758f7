import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Language, MobileNumber, ProcedureId, TenantId } from '../shared/types.js';
import type { DeliveryError } from './delivery-error.js';

export interface OutgoingSms {
  /** Stable id, kept across retries. */
  readonly id: string;
  readonly tenantId: TenantId;
  readonly procedureId: ProcedureId;
  readonly language: Language;
  readonly to: MobileNumber;
  /** The full text, code included: adapters must never log it. */
  readonly text: string;
}

export interface SmsSender {
  /** Sends one SMS; a permanent failure (invalid number) is `retryable: false`. */
  readonly send: (sms: OutgoingSms) => TE.TaskEither<DeliveryError, { readonly providerMessageId: string }>;
}
