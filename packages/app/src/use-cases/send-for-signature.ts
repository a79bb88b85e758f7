import {
  createProcedure,
  type DomainError,
  decodeWith,
  domainError,
  type ProcedureView,
  type Quote,
  type SendInput,
  SIGNING_TOKEN_BYTES,
  type SignatureProcedure,
  sendRefused,
  sha256Hex,
  signingTokenFrom,
  Text,
  type UserActor,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts';
import { decodeActor } from '../support/actor-codec.js';
import { invitationMessage } from '../support/invitation-email.js';
import { newProcedureId } from '../support/new-id.js';
import { sealToken } from '../support/secrets.js';
import { loadSender } from '../support/sender.js';
import { loadSettings } from '../support/settings.js';
import { toProcedureView } from '../support/views.js';
import type { UseCaseDependencies } from './dependencies.js';
import { type Blockers, documentProblems, findBlockersWith, loadQuote } from './send-checks.js';

const decodeSendInput = decodeWith(
  t.intersection([
    t.type({ quoteId: Text(200), subject: Text(998), body: t.string }),
    t.partial({ idempotencyKey: Text(200) }),
  ]),
);

/** Same key, same quote: the first procedure is the answer and no second credit is taken. */
const replay = (existing: SignatureProcedure, quoteId: string): E.Either<DomainError, SignatureProcedure> =>
  existing.quoteId === quoteId ? E.right(existing) : E.left(domainError('IDEMPOTENCY_KEY_CONFLICT'));

/**
 * Sending a quote for signature (rule 2): in one unit of work the credit is reserved, the procedure and its frozen
 * document are stored, and the invitation is queued; any failure leaves nothing behind.
 */
export const makeSendForSignature =
  (deps: UseCaseDependencies) =>
  (rawActor: UserActor, rawInput: SendInput): TE.TaskEither<DomainError, ProcedureView> =>
    pipe(
      TE.fromEither(
        pipe(
          decodeActor(rawActor),
          E.bindTo('actor'),
          E.bind('input', () => decodeSendInput(rawInput)),
        ),
      ),
      TE.bind('quote', ({ actor, input }) => loadQuote(deps, actor, input.quoteId)),
      TE.bind('sender', ({ actor }) => loadSender(deps.quotes, actor.tenantId, actor.userId)),
      TE.bind('documentReasons', ({ quote }) => documentProblems(deps, quote)),
      TE.chain(({ actor, input, quote, sender, documentReasons }) =>
        deps.storage.unitOfWork((session) =>
          pipe(
            // Read before the balance lock: the settings do not depend on it, and in PostgreSQL every statement
            // after the lock lengthens the window in which other sends of the tenant wait.
            loadSettings(session, actor.tenantId),
            TE.bindTo('settings'),
            TE.bind('balance', () => session.ledger.balanceForUpdate(actor.tenantId)),
            TE.bind('replayed', () =>
              input.idempotencyKey === undefined
                ? TE.right(O.none)
                : session.procedures.findByIdempotencyKey(actor.tenantId, input.idempotencyKey),
            ),
            TE.chain(({ settings, balance, replayed }) =>
              pipe(
                replayed,
                O.match(
                  () =>
                    pipe(
                      findBlockersWith(session, actor, quote, documentReasons, settings, balance),
                      TE.chain((blockers) => create(deps, blockers, actor, quote, input.idempotencyKey)),
                      TE.chainFirst(({ procedure, transition }) =>
                        pipe(
                          session.procedures.insert(procedure),
                          TE.chain(() => session.ledger.append(transition.ledger)),
                          TE.chain(() =>
                            session.documents.put(procedure.id, 'original', quote.document!.bytes),
                          ),
                          TE.chain(() =>
                            session.outbox.enqueue(
                              [invitationMessage(procedure, sender, input.subject, input.body)],
                              procedure.createdAt,
                            ),
                          ),
                        ),
                      ),
                      TE.map(({ procedure }) => procedure),
                    ),
                  (existing) => TE.fromEither(replay(existing, input.quoteId)),
                ),
              ),
            ),
          ),
        ),
      ),
      TE.map((procedure) => toProcedureView(procedure, deps.clock.now())),
    );

const create = (
  deps: UseCaseDependencies,
  blockers: Blockers,
  actor: UserActor,
  quote: Quote,
  idempotencyKey: string | undefined,
) => {
  if (E.isLeft(blockers.approved) || blockers.reasons.length > 0)
    return TE.left(sendRefused(blockers.reasons));
  const token = signingTokenFrom(deps.random.bytes(SIGNING_TOKEN_BYTES));
  const id = newProcedureId(deps.random);
  const approved = blockers.approved.right;
  return pipe(
    TE.fromEither(
      createProcedure(
        {
          id,
          tenantId: actor.tenantId,
          quoteId: quote.id,
          quoteNumber: quote.number,
          senderId: actor.userId,
          approved,
          documentSha256: sha256Hex(approved.document.bytes),
          tokenHash: token.hash,
          sealedToken: sealToken(deps.secrets.linkKey, token.token, id, deps.random.bytes(12)),
          settings: blockers.settings,
          balance: blockers.balance,
          ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
        },
        deps.clock.now(),
      ),
    ),
    TE.map((transition) => ({ transition, procedure: transition.procedure })),
  );
};
