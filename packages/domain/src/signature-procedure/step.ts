import * as E from 'fp-ts/lib/Either.js';
import { appendToChain } from '../audit-trail/audit-chain.js';
import type { AuditEventDraft } from '../audit-trail/audit-event.js';
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

/** Request metadata goes on the timeline only when known. */
export const fromContext = (
  context: RequestContext | undefined,
): Pick<AuditEventDraft, 'ip' | 'userAgent'> => ({
  ...(context?.ip === undefined ? {} : { ip: context.ip }),
  ...(context?.userAgent === undefined ? {} : { userAgent: context.userAgent }),
});

/** Refuses any change to an ended procedure, and any status not in `allowed`. */
export const requireStatus = (
  procedure: SignatureProcedure,
  allowed: ReadonlyArray<ProcedureStatus>,
): E.Either<DomainError, SignatureProcedure> => {
  if (allowed.includes(procedure.status)) return E.right(procedure);
  return E.left(
    isTerminal(procedure.status)
      ? domainError('PROCEDURE_ENDED', { status: procedure.status })
      : domainError('TRANSITION_NOT_ALLOWED', { status: procedure.status }),
  );
};

/** Expiry is decided by time: after the deadline every signer action is refused, swept or not. */
export const requireBeforeDeadline = (
  procedure: SignatureProcedure,
  now: Date,
): E.Either<DomainError, SignatureProcedure> =>
  now.getTime() >= procedure.deadline.getTime()
    ? E.left(domainError('PROCEDURE_EXPIRED'))
    : E.right(procedure);

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
      [draft, { type: 'credit_released', at: draft.at, actor: 'system', data: { reason: status } }],
      [released.right],
    ),
  );
};
