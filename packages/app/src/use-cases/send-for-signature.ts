import {
  type CrmUser,
  createProcedure,
  type DomainError,
  decodeWith,
  domainError,
  exactType,
  type ProcedureView,
  type Quote,
  type SendInput,
  SIGNING_TOKEN_BYTES,
  type SignatureProcedure,
  type SignerRequest,
  sendRefused,
  sha256Hex,
  signingTokenFrom,
  Text,
  TextUpTo,
  type Transition,
  type UserActor,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type * as t from 'io-ts';
import { decodeActor } from '../support/actor-codec.js';
import { Id, INPUT_LIMITS, SignersCodec } from '../support/inputs.js';
import { invitationMessage } from '../support/invitation-email.js';
import { newProcedureId } from '../support/new-id.js';
import { sealToken } from '../support/secrets.js';
import { loadSender } from '../support/sender.js';
import { loadSettings } from '../support/settings.js';
import type { UseCaseSession } from '../support/use-case-storage.js';
import { toProcedureView } from '../support/views.js';
import type { UseCaseDependencies } from './dependencies.js';
import {
  type Blockers,
  type DocumentInspection,
  findBlockersWith,
  inspectDocument,
  loadQuote,
  loadSignerRequest,
} from './send-checks.js';

const sendInputCodec = exactType(
  { quoteId: Id, subject: Text(INPUT_LIMITS.subject), body: TextUpTo(INPUT_LIMITS.body) },
  { idempotencyKey: Id, signers: SignersCodec },
  'SendInput',
);
const decodeSendInput = decodeWith(sendInputCodec);

/** Same key, same quote: the first procedure is the answer and no second credit is taken. */
const replay = (existing: SignatureProcedure, quoteId: string): E.Either<DomainError, SignatureProcedure> =>
  existing.quoteId === quoteId ? E.right(existing) : E.left(domainError('IDEMPOTENCY_KEY_CONFLICT'));

/**
 * Sending a quote for signature (rule 2): in one unit of work the credit is reserved, the procedure and its frozen
 * document are stored, and the invitation of every signer invited now is queued (in sequence the first, in parallel
 * all); one credit whatever the number of signers, and any failure leaves nothing behind.
 *
 * Written as plain async steps rather than a TaskEither pipeline: this is the hottest path of the library and the
 * steps are strictly sequential; each step still returns its Either and the first Left ends the send.
 */
export const makeSendForSignature =
  (deps: UseCaseDependencies) =>
  (rawActor: UserActor, rawInput: SendInput): TE.TaskEither<DomainError, ProcedureView> =>
  async () => {
    const actor = decodeActor(rawActor);
    if (E.isLeft(actor)) return actor;
    const input = decodeSendInput(rawInput);
    if (E.isLeft(input)) return input;
    const quote = await loadQuote(deps, actor.right, input.right.quoteId)();
    if (E.isLeft(quote)) return quote;
    const sender = await loadSender(deps.quotes, actor.right.tenantId, actor.right.userId)();
    if (E.isLeft(sender)) return sender;
    const signers = await loadSignerRequest(deps, actor.right, input.right.signers)();
    if (E.isLeft(signers)) return signers;
    const inspected = await inspectDocument(deps, quote.right)();
    if (E.isLeft(inspected)) return inspected;
    const procedure = await deps.storage.unitOfWork((session) =>
      sendInUnitOfWork(deps, session, {
        actor: actor.right,
        input: input.right,
        quote: quote.right,
        sender: sender.right,
        signers: signers.right,
        document: inspected.right,
      }),
    )();
    return E.isLeft(procedure) ? procedure : E.right(toProcedureView(procedure.right, deps.clock.now()));
  };

interface SendContext {
  readonly actor: UserActor;
  readonly input: t.TypeOf<typeof sendInputCodec>;
  readonly quote: Quote;
  readonly sender: CrmUser;
  readonly signers: SignerRequest | undefined;
  readonly document: DocumentInspection;
}

const sendInUnitOfWork =
  (
    deps: UseCaseDependencies,
    session: UseCaseSession,
    c: SendContext,
  ): TE.TaskEither<DomainError, SignatureProcedure> =>
  async () => {
    const { actor, input, quote } = c;
    // The balance lock first, then the settings: the lock does not guard them (saving settings never takes it), and
    // the SQL stores read both in the statement that takes the lock, so the settings cost no round trip of their own.
    const balance = await session.ledger.balanceForUpdate(actor.tenantId)();
    if (E.isLeft(balance)) return balance;
    const settings = await loadSettings(session, actor.tenantId)();
    if (E.isLeft(settings)) return settings;
    if (input.idempotencyKey !== undefined) {
      const replayed = await session.procedures.findByIdempotencyKey(actor.tenantId, input.idempotencyKey)();
      if (E.isLeft(replayed)) return replayed;
      if (O.isSome(replayed.right)) return replay(replayed.right.value, input.quoteId);
    }
    const blockers = await findBlockersWith(
      session,
      actor,
      quote,
      c.document.reasons,
      settings.right,
      balance.right,
      c.signers,
    )();
    if (E.isLeft(blockers)) return blockers;
    const created = create(deps, blockers.right, actor, quote, input, c.document.pageCount);
    if (E.isLeft(created)) return created;
    const { procedure, transition } = created.right;
    const inserted = await session.procedures.insert(procedure)();
    if (E.isLeft(inserted)) return inserted;
    const appended = await session.ledger.append(transition.ledger)();
    if (E.isLeft(appended)) return appended;
    const stored = await session.documents.put(procedure.id, 'original', quote.document!.bytes)();
    if (E.isLeft(stored)) return stored;
    // Whoever is invited now (in sequence the first signer, in parallel all): each their own message and link.
    const invitations = procedure.signers
      .filter((signer) => signer.status === 'pending')
      .map((signer) => invitationMessage(procedure, c.sender, signer.position, input.subject, input.body));
    const queued = await session.outbox.enqueue(invitations, procedure.createdAt)();
    return E.isLeft(queued) ? queued : E.right(procedure);
  };

const create = (
  deps: UseCaseDependencies,
  blockers: Blockers,
  actor: UserActor,
  quote: Quote,
  input: t.TypeOf<typeof sendInputCodec>,
  pageCount: number | undefined,
): E.Either<DomainError, { readonly procedure: SignatureProcedure; readonly transition: Transition }> => {
  if (E.isLeft(blockers.approved) || blockers.reasons.length > 0)
    return E.left(sendRefused(blockers.reasons));
  const approved = blockers.approved.right;
  // Drawn in this order so that a one-signer send draws its random bytes exactly as it always did.
  const tokens = approved.signers.map(() => signingTokenFrom(deps.random.bytes(SIGNING_TOKEN_BYTES)));
  const id = newProcedureId(deps.random);
  const idempotencyKey = input.idempotencyKey;
  const transition = createProcedure(
    {
      id,
      tenantId: actor.tenantId,
      quoteId: quote.id,
      quoteNumber: quote.number,
      senderId: actor.userId,
      approved,
      documentSha256: sha256Hex(approved.document.bytes),
      ...(pageCount === undefined ? {} : { documentPageCount: pageCount }),
      tokens: tokens.map((token) => ({
        tokenHash: token.hash,
        sealedToken: sealToken(deps.secrets.linkKey, token.token, id, deps.random.bytes(12)),
      })),
      invitation: { subject: input.subject, body: input.body },
      settings: blockers.settings,
      balance: blockers.balance,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    },
    deps.clock.now(),
  );
  return E.isLeft(transition)
    ? transition
    : E.right({ transition: transition.right, procedure: transition.right.procedure });
};
