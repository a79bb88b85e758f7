import * as E from 'fp-ts/lib/Either.js';
import { chainedAfter } from '../audit-trail/audit-chain.js';
import type {
  AuditActor,
  AuditData,
  AuditEvent,
  AuditEventDraft,
  AuditEventType,
} from '../audit-trail/audit-event.js';
import { type LedgerEntry, type ReleaseReason, releaseCredit } from '../credit-ledger/credit-ledger.js';
import { type DomainError, domainError } from '../errors.js';
import type { Mutable, RequestContext } from '../shared/types.js';
import { isTerminal, type ProcedureStatus } from './procedure-status.js';
import type { SignatureProcedure, Transition } from './signature-procedure.js';

/** What a transition may change: who signs what, until when and under which code policy are frozen at sending. */
export type ProcedureChanges = Partial<
  Pick<
    SignatureProcedure,
    | 'status'
    | 'sms'
    | 'credit'
    | 'remindersSent'
    | 'signedAt'
    | 'signedSha256'
    | 'consentText'
    | 'endedAt'
    | 'declineReason'
  >
>;

/**
 * The procedure after `changes`, written field by field: on Node 20, `{ ...procedure, ...changes }` with a key the
 * procedure lacks (`endedAt` when it ends, say) builds a slow dictionary object, about 12 µs per transition.
 */
const changed = (
  procedure: SignatureProcedure,
  changes: ProcedureChanges,
  events: ReadonlyArray<AuditEvent>,
): SignatureProcedure => {
  const next: Mutable<SignatureProcedure> = {
    id: procedure.id,
    tenantId: procedure.tenantId,
    quoteId: procedure.quoteId,
    quoteNumber: procedure.quoteNumber,
    senderId: procedure.senderId,
    signer: procedure.signer,
    language: procedure.language,
    timeZone: procedure.timeZone,
    document: procedure.document,
    tokenHash: procedure.tokenHash,
    sealedToken: procedure.sealedToken,
    status: changes.status ?? procedure.status,
    createdAt: procedure.createdAt,
    deadline: procedure.deadline,
    smsPolicy: procedure.smsPolicy,
    sms: changes.sms ?? procedure.sms,
    credit: changes.credit ?? procedure.credit,
    remindersSent: changes.remindersSent ?? procedure.remindersSent,
    events,
    version: procedure.version + 1,
  };
  const idempotencyKey = procedure.idempotencyKey;
  if (idempotencyKey !== undefined) next.idempotencyKey = idempotencyKey;
  const signedAt = changes.signedAt ?? procedure.signedAt;
  if (signedAt !== undefined) next.signedAt = signedAt;
  const signedSha256 = changes.signedSha256 ?? procedure.signedSha256;
  if (signedSha256 !== undefined) next.signedSha256 = signedSha256;
  const consentText = changes.consentText ?? procedure.consentText;
  if (consentText !== undefined) next.consentText = consentText;
  const endedAt = changes.endedAt ?? procedure.endedAt;
  if (endedAt !== undefined) next.endedAt = endedAt;
  const declineReason = changes.declineReason ?? procedure.declineReason;
  if (declineReason !== undefined) next.declineReason = declineReason;
  return next;
};

/**
 * Applies changes, appends the transition's one event to the chain and bumps the version: the one way a procedure
 * changes. One event per transition (its data says what happened to the credit, if anything) keeps the chain's
 * cost at one hash per transition.
 */
export const step = (
  procedure: SignatureProcedure,
  changes: ProcedureChanges,
  draft: AuditEventDraft,
  ledger: ReadonlyArray<LedgerEntry> = [],
): Transition => {
  const appended = chainedAfter(procedure.events, draft);
  const events = procedure.events.slice();
  events.push(appended);
  return { procedure: changed(procedure, changes, events), events: [appended], ledger };
};

/** An event, with the request's IP and user agent only when known. */
export const event = <Data extends AuditData>(
  type: AuditEventType,
  at: Date,
  actor: AuditActor,
  data: Data,
  context?: RequestContext,
): AuditEventDraft & { readonly data: Data } => {
  const draft: Mutable<AuditEventDraft> & { data: Data } = { type, at, actor, data };
  if (context?.ip !== undefined) draft.ip = context.ip;
  if (context?.userAgent !== undefined) draft.userAgent = context.userAgent;
  return draft;
};

/** Why an ended procedure, or one not in an `allowed` status, refuses a change; `undefined` when it accepts it. */
export const statusRefusal = (
  procedure: SignatureProcedure,
  allowed: ReadonlyArray<ProcedureStatus>,
): DomainError | undefined => {
  if (allowed.includes(procedure.status)) return undefined;
  return isTerminal(procedure.status)
    ? domainError('PROCEDURE_ENDED', { status: procedure.status })
    : domainError('TRANSITION_NOT_ALLOWED', { status: procedure.status });
};

/** Expiry is decided by time: after the deadline every signer action is refused, swept or not. */
export const deadlineRefusal = (procedure: SignatureProcedure, now: Date): DomainError | undefined =>
  now.getTime() >= procedure.deadline.getTime() ? domainError('PROCEDURE_EXPIRED') : undefined;

/** Ends a procedure without signature: status, end time, and the credit released exactly once, as its event says. */
export const endUnsigned = (
  procedure: SignatureProcedure,
  status: ReleaseReason,
  draft: AuditEventDraft & { readonly data: { readonly credit: 'released' } },
  declineReason?: string,
): E.Either<DomainError, Transition> => {
  const released = releaseCredit(procedure.credit, procedure.tenantId, procedure.id, status, draft.at);
  if (E.isLeft(released)) return released;
  const changes: ProcedureChanges =
    declineReason === undefined
      ? { status, endedAt: draft.at, credit: 'released' }
      : { status, endedAt: draft.at, credit: 'released', declineReason };
  return E.right(step(procedure, changes, draft, [released.right]));
};
