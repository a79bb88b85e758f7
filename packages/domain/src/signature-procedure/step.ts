import * as E from 'fp-ts/lib/Either.js';
import { appendToChain } from '../audit-trail/audit-chain.js';
import type { AuditActor, AuditData, AuditEventDraft, AuditEventType } from '../audit-trail/audit-event.js';
import { type LedgerEntry, type ReleaseReason, releaseCredit } from '../credit-ledger/credit-ledger.js';
import { type DomainError, domainError } from '../errors.js';
import type { RequestContext } from '../shared/types.js';
import { isTerminal, type ProcedureStatus } from './procedure-status.js';
import type { SignatureProcedure, Transition } from './signature-procedure.js';

/** Applies changes, appends the events to the chain and bumps the version: the one way a procedure changes. */
export const step = (
  procedure: SignatureProcedure,
  changes: Partial<SignatureProcedure>,
  drafts: ReadonlyArray<AuditEventDraft>,
  ledger: ReadonlyArray<LedgerEntry> = [],
): Transition => {
  const events = appendToChain(procedure.events, drafts);
  return {
    procedure: { ...procedure, ...changes, events, version: procedure.version + 1 },
    events: events.slice(procedure.events.length),
    ledger,
  };
};

/** An event, with the request's IP and user agent only when known. */
export const event = (
  type: AuditEventType,
  at: Date,
  actor: AuditActor,
  data: AuditData,
  context?: RequestContext,
): AuditEventDraft => {
  const draft: { -readonly [K in keyof AuditEventDraft]: AuditEventDraft[K] } = { type, at, actor, data };
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

/** Ends a procedure without signature: status, end time, and the credit released exactly once. */
export const endUnsigned = (
  procedure: SignatureProcedure,
  status: ReleaseReason,
  draft: AuditEventDraft,
  extra: Partial<SignatureProcedure> = {},
): E.Either<DomainError, Transition> => {
  const released = releaseCredit(procedure.credit, procedure.tenantId, procedure.id, status, draft.at);
  if (E.isLeft(released)) return released;
  return E.right(
    step(
      procedure,
      { ...extra, status, endedAt: draft.at, credit: 'released' },
      [draft, event('credit_released', draft.at, 'system', { reason: status })],
      [released.right],
    ),
  );
};
