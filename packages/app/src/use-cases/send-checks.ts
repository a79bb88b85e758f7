import {
  type ApprovedSend,
  type CreditBalance,
  checkSendPreconditions,
  type DomainError,
  domainError,
  type Quote,
  type SendSigners,
  type SignerRequest,
  sealingErrorToDomain,
  type TenantSettings,
  type UserActor,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { decodeCrmQuote, decodeCrmUser, lookUpInCrm } from '../support/crm-answers.js';
import { loadSettings } from '../support/settings.js';
import type { UseCaseSession } from '../support/use-case-storage.js';
import type { UseCaseDependencies } from './dependencies.js';

/** The quote as the CRM returns it, decoded: a malformed answer is `CRM_INVALID_DATA` naming the field. */
export const loadQuote =
  (deps: UseCaseDependencies, actor: UserActor, quoteId: string): TE.TaskEither<DomainError, Quote> =>
  async () => {
    const quote = await lookUpInCrm(
      'getQuote',
      () => deps.quotes.getQuote(actor.tenantId, quoteId),
      decodeCrmQuote(actor.tenantId, quoteId),
    )();
    if (E.isLeft(quote)) return quote;
    return O.isSome(quote.right) ? E.right(quote.right.value) : E.left(domainError('QUOTE_NOT_FOUND'));
  };

/**
 * The signers asked for, as the rules take them: the countersigner looked up among the tenant's users (`not-found`
 * when the CRM knows no such user: a reason to refuse, listed with the others). Absent stays absent.
 */
export const loadSignerRequest =
  (
    deps: UseCaseDependencies,
    actor: UserActor,
    signers: SendSigners | undefined,
  ): TE.TaskEither<DomainError, SignerRequest | undefined> =>
  async () => {
    if (signers === undefined) return E.right(undefined);
    const { contactIds, countersignerId, order } = signers;
    const request: { -readonly [K in keyof SignerRequest]: SignerRequest[K] } = {};
    if (contactIds !== undefined) request.contactIds = contactIds;
    if (order !== undefined) request.order = order;
    if (countersignerId !== undefined) {
      const user = await lookUpInCrm(
        'getUser',
        () => deps.quotes.getUser(actor.tenantId, countersignerId),
        decodeCrmUser,
      )();
      if (E.isLeft(user)) return user;
      request.countersigner = O.isSome(user.right) ? user.right.value : 'not-found';
    }
    return E.right(request);
  };

export interface Blockers {
  /** Every reason not to send, rules and document problems together; empty when it may be sent. */
  readonly reasons: ReadonlyArray<DomainError>;
  readonly approved: E.Either<ReadonlyArray<DomainError>, ApprovedSend>;
  readonly settings: TenantSettings;
  readonly balance: CreditBalance;
}

/** What reading the quote's PDF found: its problems (reasons not to send), else its pages. */
export interface DocumentInspection {
  readonly reasons: ReadonlyArray<DomainError>;
  readonly pageCount?: number;
}

/**
 * An unreadable or encrypted PDF is one more reason; found before the unit of work, so no lock waits on PDF parsing.
 * A readable one's page count is kept with the procedure, for its certificate.
 */
export const inspectDocument = (
  deps: UseCaseDependencies,
  quote: Quote,
): TE.TaskEither<DomainError, DocumentInspection> =>
  quote.document === undefined || quote.document.bytes.length === 0
    ? TE.right({ reasons: [] })
    : pipe(
        deps.sealer.inspect(quote.document.bytes),
        TE.match(
          (problem): DocumentInspection => ({ reasons: [sealingErrorToDomain(problem)] }),
          (info): DocumentInspection => ({ reasons: [], pageCount: info.pageCount }),
        ),
        TE.fromTask,
      );

/**
 * Reads what the rules need inside the unit of work. The caller reads (and so locks) the tenant's balance first,
 * which serialises concurrent sends of one tenant: two sends of the same quote, or with the same idempotency key,
 * cannot both pass their checks.
 */
export const findBlockers = (
  session: UseCaseSession,
  actor: UserActor,
  quote: Quote,
  documentReasons: ReadonlyArray<DomainError>,
  balance: CreditBalance,
  signers?: SignerRequest,
): TE.TaskEither<DomainError, Blockers> =>
  pipe(
    loadSettings(session, actor.tenantId),
    TE.chain((settings) =>
      findBlockersWith(session, actor, quote, documentReasons, settings, balance, signers),
    ),
  );

/**
 * `findBlockers` with the settings already read: the balance lock does not guard them (saving settings never takes
 * it), so a caller may read them before taking the lock, as the send does.
 */
export const findBlockersWith =
  (
    session: UseCaseSession,
    actor: UserActor,
    quote: Quote,
    documentReasons: ReadonlyArray<DomainError>,
    settings: TenantSettings,
    balance: CreditBalance,
    signers?: SignerRequest,
  ): TE.TaskEither<DomainError, Blockers> =>
  async () => {
    const listed = await session.procedures.listByQuote(actor.tenantId, quote.id)();
    if (E.isLeft(listed)) return listed;
    const existing = listed.right;
    {
      const approved = checkSendPreconditions({
        actor,
        quote,
        existingProcedures: existing.map((p) => p.status),
        availableCredits: balance.available,
        settings,
        ...(signers === undefined ? {} : { signers }),
      });
      const ruleReasons = E.isLeft(approved) ? approved.left : [];
      return E.right({ reasons: [...ruleReasons, ...documentReasons], approved, settings, balance });
    }
  };
