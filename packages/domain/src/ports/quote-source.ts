import type * as O from 'fp-ts/lib/Option.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Quote } from '../quote/quote.js';
import type { ProcedureId, QuoteId, TenantId, UserId } from '../shared/types.js';
import type { CrmError } from './crm-error.js';

/** A task the CRM creates for a user once a quote is signed, instead of marking it won (rule 6). */
export interface FollowUpAction {
  /** Stable id: creating the same action twice must create it once (idempotent). */
  readonly id: string;
  readonly tenantId: TenantId;
  readonly quoteId: QuoteId;
  readonly procedureId: ProcedureId;
  readonly assigneeId: UserId;
  readonly title: string;
  readonly dueAt: Date;
}

export interface CrmUser {
  readonly id: UserId;
  readonly name: string;
  readonly email?: string;
  /** Needed when the user countersigns: their SMS code goes there. */
  readonly mobile?: string;
}

/**
 * The CRM seen from Paraphe. A failure is a `CrmError`: `retryable` when the CRM is unreachable, slow or failing on
 * its side (the follow-up action is then created later), not when it refused the request or answered unreadably.
 */
export interface QuoteSource {
  /** Reads a quote with its contact and PDF; unknown → `None`. */
  readonly getQuote: (tenantId: TenantId, quoteId: QuoteId) => TE.TaskEither<CrmError, O.Option<Quote>>;
  /** Reads a CRM user (the sender), for names on emails and proofs; unknown → `None`. */
  readonly getUser: (tenantId: TenantId, userId: UserId) => TE.TaskEither<CrmError, O.Option<CrmUser>>;
  /** Creates the follow-up action; idempotent on `action.id`. */
  readonly createFollowUpAction: (action: FollowUpAction) => TE.TaskEither<CrmError, void>;
}
