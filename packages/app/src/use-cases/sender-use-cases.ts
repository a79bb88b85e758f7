import {
  cancel,
  type DocumentKind,
  type DomainError,
  type DownloadedFile,
  domainError,
  headAtSignature,
  type ProcedureId,
  type SenderUseCases,
  type SignatureProcedure,
  type UserActor,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { decodeActor } from '../support/actor-codec.js';
import { requireSameTenant } from '../support/authorisation.js';
import { decodeId, decodeReason, decodeSigners, INPUT_LIMITS } from '../support/inputs.js';
import { persistTransition } from '../support/persist-transition.js';
import { loadSettings } from '../support/settings.js';
import type { UseCaseSession } from '../support/use-case-storage.js';
import { toProcedureView } from '../support/views.js';
import type { UseCaseDependencies } from './dependencies.js';
import { findBlockers, inspectDocument, loadQuote, loadSignerRequest } from './send-checks.js';
import { makeSendForSignature } from './send-for-signature.js';

const isPdfInput = (bytes: unknown): bytes is Uint8Array =>
  bytes instanceof Uint8Array && bytes.length <= INPUT_LIMITS.pdfBytes;

const asUser = (actor: UserActor): TE.TaskEither<DomainError, UserActor> => TE.fromEither(decodeActor(actor));

/** A procedure of the actor's tenant; any other id, including another tenant's, is simply not found. */
const ownProcedure = (session: UseCaseSession, actor: UserActor, id: ProcedureId) =>
  pipe(
    session.procedures.get(id),
    TE.chain(TE.fromOption(() => domainError('PROCEDURE_NOT_FOUND'))),
    TE.chainEitherK(requireSameTenant<SignatureProcedure>(actor, domainError('PROCEDURE_NOT_FOUND'))),
  );

const fileNames: Record<Exclude<DocumentKind, 'original'>, (p: SignatureProcedure) => string> = {
  signed: (p) => `${p.quoteNumber}-signed.pdf`,
  certificate: (p) => `${p.quoteNumber}-certificate-of-signature.pdf`,
};

/**
 * When the sender may fetch each proof: the signed PDF as soon as one signer signed (partly signed while the others
 * are awaited, the final one at the end; still there if the procedure then ended unsigned), the certificate once
 * every signer signed.
 */
const downloadable: Record<'signed' | 'certificate', (p: SignatureProcedure) => boolean> = {
  signed: (p) => p.signers.some((signer) => signer.status === 'signed'),
  certificate: (p) => p.status === 'signed',
};

/** What a sales user does: check, send, follow, cancel, and fetch the proofs once signed (rule 5). */
export const makeSenderUseCases = (deps: UseCaseDependencies): SenderUseCases => {
  const { storage, clock } = deps;
  const inSession = <A>(
    actor: UserActor,
    work: (session: UseCaseSession, user: UserActor) => TE.TaskEither<DomainError, A>,
  ) =>
    pipe(
      asUser(actor),
      TE.chain((user) => storage.unitOfWork((session) => work(session, user))),
    );

  /** `inSession` for a call about one procedure: its id is decoded before anything is read. */
  const onProcedure = <A>(
    actor: UserActor,
    rawId: unknown,
    work: (session: UseCaseSession, user: UserActor, id: ProcedureId) => TE.TaskEither<DomainError, A>,
  ) =>
    pipe(
      TE.fromEither(decodeId('procedureId')(rawId)),
      TE.chain((id) => inSession(actor, (session, user) => work(session, user, id))),
    );

  const download = (kind: 'signed' | 'certificate') => (actor: UserActor, rawId: ProcedureId) =>
    onProcedure(actor, rawId, (session, user, id) =>
      pipe(
        ownProcedure(session, user, id),
        TE.chainEitherK((p) =>
          downloadable[kind](p)
            ? E.right(p)
            : E.left(domainError('DOCUMENT_NOT_AVAILABLE', { status: p.status })),
        ),
        TE.chain((p) =>
          pipe(
            session.documents.get(p.id, kind),
            TE.chain(TE.fromOption(() => domainError('DOCUMENT_NOT_AVAILABLE', { status: p.status }))),
            TE.map(
              (bytes): DownloadedFile => ({
                fileName: fileNames[kind](p),
                contentType: 'application/pdf',
                bytes,
              }),
            ),
          ),
        ),
      ),
    );

  return {
    getSettings: (actor) => inSession(actor, (session, user) => loadSettings(session, user.tenantId)),
    getCredits: (actor) =>
      inSession(actor, (session, user) => session.ledger.balanceForUpdate(user.tenantId)),
    checkSend: (actor, rawQuoteId, rawSigners) =>
      pipe(
        asUser(actor),
        TE.bindTo('user'),
        TE.bind('quoteId', () => TE.fromEither(decodeId('quoteId')(rawQuoteId))),
        TE.bind('asked', () => TE.fromEither(decodeSigners(rawSigners))),
        TE.bind('quote', ({ user, quoteId }) => loadQuote(deps, user, quoteId)),
        TE.bind('signers', ({ user, asked }) => loadSignerRequest(deps, user, asked)),
        TE.bind('inspected', ({ quote }) => inspectDocument(deps, quote)),
        TE.chain(({ user, quote, inspected, signers }) =>
          storage.unitOfWork((session) =>
            pipe(
              session.ledger.balanceForUpdate(user.tenantId),
              TE.chain((balance) => findBlockers(session, user, quote, inspected.reasons, balance, signers)),
            ),
          ),
        ),
        TE.map((blockers) => blockers.reasons),
      ),
    send: makeSendForSignature(deps),
    getProcedure: (actor, rawId) =>
      onProcedure(actor, rawId, (session, user, id) =>
        pipe(
          ownProcedure(session, user, id),
          TE.map((p) => toProcedureView(p, clock.now())),
        ),
      ),
    listProcedures: (actor, rawQuoteId) =>
      pipe(
        TE.fromEither(decodeId('quoteId')(rawQuoteId)),
        TE.chain((quoteId) =>
          inSession(actor, (session, user) =>
            pipe(
              session.procedures.listByQuote(user.tenantId, quoteId),
              TE.map((list) => list.map((p) => toProcedureView(p, clock.now()))),
            ),
          ),
        ),
      ),
    cancel: (actor, rawId, rawReason) =>
      pipe(
        TE.fromEither(decodeReason(rawReason)),
        TE.chain((reason) =>
          onProcedure(actor, rawId, (session, user, id) =>
            pipe(
              ownProcedure(session, user, id),
              TE.chain((before) =>
                pipe(
                  TE.fromEither(cancel(user.userId, clock.now(), reason)(before)),
                  TE.chain((transition) => persistTransition(session, before, transition, clock.now())),
                ),
              ),
              TE.map((p) => toProcedureView(p, clock.now())),
            ),
          ),
        ),
      ),
    downloadSignedDocument: download('signed'),
    downloadCertificate: download('certificate'),
    verifySignedDocument: (actor, rawId, pdf, certificate) =>
      !isPdfInput(pdf) || (certificate !== undefined && !isPdfInput(certificate))
        ? TE.left(domainError('INVALID_INPUT', { fields: isPdfInput(pdf) ? 'certificate' : 'pdf' }))
        : pipe(
            onProcedure(actor, rawId, (session, user, id) => ownProcedure(session, user, id)),
            TE.chain((p) =>
              p.status === 'signed'
                ? deps.verifier.verify(
                    pdf,
                    {
                      originalSha256: p.document.sha256,
                      signedSha256: p.signedSha256,
                      procedureId: p.id,
                      headAtSignature: headAtSignature(p.events),
                    },
                    certificate,
                  )
                : TE.left(domainError('DOCUMENT_NOT_AVAILABLE', { status: p.status })),
            ),
          ),
  };
};
