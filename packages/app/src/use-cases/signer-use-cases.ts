import { smsCodeText } from '@paraphe/adapters';
import {
  annotate,
  type CrmUser,
  codeFromRandom,
  codeSubject,
  type DomainError,
  decline,
  domainError,
  hashCode,
  markSent,
  open,
  type ProcedureSigner,
  type RequestContext,
  requestCode,
  type SignatureProcedure,
  type SignerUseCases,
  signerData,
  verifyCode,
} from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { deliveryErrorToDomain } from '../support/delivery-errors.js';
import { decodeReason, INPUT_LIMITS } from '../support/inputs.js';
import { invitationId } from '../support/invitation-email.js';
import { senderNotification } from '../support/lifecycle-messages.js';
import { persistTransition } from '../support/persist-transition.js';
import { decodeRequestContext } from '../support/request-context.js';
import { loadSender } from '../support/sender.js';
import { type LinkHolder, signerOnTurn } from '../support/signer-lookup.js';
import type { UseCaseSession } from '../support/use-case-storage.js';
import { effectiveStatus, toSigningPageView } from '../support/views.js';
import type { UseCaseDependencies } from './dependencies.js';
import { makeSign } from './sign-procedure.js';

const MAX_CODE_LENGTH = INPUT_LIMITS.code;

/** The signer's side (rule 4): open the link, get an SMS code, confirm identity, then sign or decline. */
export const makeSignerUseCases = (deps: UseCaseDependencies): SignerUseCases => {
  const { storage, clock } = deps;

  /**
   * The sender of the link's procedure, read before any change: the CRM is asked first so that a CRM failure can
   * only refuse the call, never turn a change that committed into a failure (the answer is built from the commit).
   * A signer whose turn has not come is refused here already.
   */
  const senderOfLink = (token: string): TE.TaskEither<DomainError, CrmUser> =>
    pipe(
      storage.unitOfWork((session) => signerOnTurn(session, token, clock.now())),
      TE.chain(({ procedure: p }) => loadSender(deps.quotes, p.tenantId, p.senderId)),
    );

  const openSent = (
    session: UseCaseSession,
    p: SignatureProcedure,
    position: number,
    context: RequestContext | undefined,
    now: Date,
  ) =>
    pipe(
      TE.fromEither(open(context, now, position)(p)),
      TE.chain((transition) => persistTransition(session, p, transition, now)),
    );

  /**
   * The signer's first visit moves them from `sent` to `opened`; later visits change nothing. A valid link of a
   * `pending` signer proves their invitation arrived although its delivery was not recorded (the bookkeeping failed
   * after the mailer accepted it): they become `sent` on the way and the invitation is marked delivered, never sent
   * again. Returns the procedure as it now stands.
   */
  const arrive = (
    session: UseCaseSession,
    { procedure: p, signer }: LinkHolder,
    context: RequestContext | undefined,
    now: Date,
  ): TE.TaskEither<DomainError, SignatureProcedure> => {
    if (p.credit !== 'reserved' || now.getTime() >= p.deadline.getTime()) return TE.right(p);
    const position = signer.position;
    switch (signer.status) {
      case 'pending':
        return pipe(
          TE.fromEither(markSent(now, position)(p)),
          TE.chain((transition) => persistTransition(session, p, transition, now)),
          TE.chainFirst(() => session.outbox.markDelivered(invitationId(p.id, position), now)),
          TE.chain((sent) => openSent(session, sent, position, context, now)),
        );
      case 'sent':
        return openSent(session, p, position, context, now);
      default:
        return TE.right(p);
    }
  };

  const drawCode = (digits: number): string => {
    for (;;) {
      const code = codeFromRandom(deps.random.bytes(16), digits);
      if (code !== undefined) return code;
    }
  };

  /** The SMS's id: the first signer's as it always was; another's names their position. */
  const codeSmsId = (procedure: SignatureProcedure, signer: ProcedureSigner): string =>
    signer.position === 0
      ? `${procedure.id}.code-${signer.sms.codes.length}`
      : `${procedure.id}.code-${signer.position}-${signer.sms.codes.length}`;

  const sendCode = (
    procedure: SignatureProcedure,
    position: number,
    code: string,
  ): TE.TaskEither<DomainError, SignatureProcedure> => {
    const signer = procedure.signers[position]!;
    return pipe(
      deps.sms.send({
        id: codeSmsId(procedure, signer),
        tenantId: procedure.tenantId,
        procedureId: procedure.id,
        language: procedure.language,
        to: signer.identity.mobile,
        text: smsCodeText(
          procedure.language,
          code,
          procedure.quoteNumber,
          Math.round(procedure.smsPolicy.validitySeconds / 60),
        ),
      }),
      TE.map(() => procedure),
      // A lost SMS leaves the procedure signable: the failure goes on the timeline and the signer may ask again.
      TE.orElse((failure) =>
        pipe(
          storage.unitOfWork((session) =>
            pipe(
              session.procedures.get(procedure.id),
              TE.chain(TE.fromOption(() => domainError('PROCEDURE_NOT_FOUND'))),
              TE.chain((current) =>
                persistTransition(
                  session,
                  current,
                  annotate(
                    'code_send_failed',
                    // With several signers the timeline says whose SMS was lost, as their other events do.
                    signerData(current, position, { reason: failure.reason }),
                    clock.now(),
                  )(current),
                  clock.now(),
                ),
              ),
            ),
          ),
          TE.chain(() => TE.left(deliveryErrorToDomain(failure))),
        ),
      ),
    );
  };

  const trusted: SignerUseCases = {
    open: (token, context) =>
      pipe(
        senderOfLink(token),
        TE.chain((sender) =>
          storage.unitOfWork((session) =>
            pipe(
              signerOnTurn(session, token, clock.now()),
              TE.chain((link) =>
                pipe(
                  arrive(session, link, context, clock.now()),
                  TE.map((p) => toSigningPageView(p, link.signer.position, sender.name, clock.now())),
                ),
              ),
            ),
          ),
        ),
      ),
    document: (token) =>
      storage.unitOfWork((session) =>
        pipe(
          signerOnTurn(session, token, clock.now()),
          TE.map(({ procedure }) => procedure),
          // An expired, cancelled or failed link no longer shows the document, as it no longer shows the page.
          TE.filterOrElse(
            (p) => !['expired', 'cancelled', 'failed'].includes(effectiveStatus(p, clock.now())),
            () => domainError('LINK_INVALID'),
          ),
          TE.chain((p) =>
            pipe(
              // The latest PDF: with the signatures made so far (the final one once signed), else the original.
              session.documents.get(
                p.id,
                p.signers.some((s) => s.status === 'signed') ? 'signed' : 'original',
              ),
              TE.chain(TE.fromOption(() => domainError('DOCUMENT_NOT_AVAILABLE', { status: p.status }))),
              TE.map((bytes) => ({
                fileName: p.document.fileName,
                contentType: 'application/pdf' as const,
                bytes,
              })),
            ),
          ),
        ),
      ),
    requestCode: (token, context) => {
      const now = clock.now();
      return pipe(
        senderOfLink(token),
        TE.chain((sender) =>
          pipe(
            storage.unitOfWork((session) =>
              pipe(
                signerOnTurn(session, token, now),
                TE.chain((link) =>
                  pipe(
                    arrive(session, link, context, now),
                    TE.chain((p) => {
                      const position = link.signer.position;
                      const code = drawCode(p.smsPolicy.digits);
                      const codeHash = hashCode(deps.secrets.codeHashKey, codeSubject(p.id, position), code);
                      return pipe(
                        TE.fromEither(requestCode(codeHash, context, now, position)(p)),
                        TE.chain((transition) => persistTransition(session, p, transition, now)),
                        TE.map((updated) => ({ updated, position, code })),
                      );
                    }),
                  ),
                ),
              ),
            ),
            // Sent after commit: the code is never stored, so it cannot wait in the outbox.
            TE.chain(({ updated, position, code }) =>
              pipe(
                sendCode(updated, position, code),
                TE.map((sent) => toSigningPageView(sent, position, sender.name, clock.now())),
              ),
            ),
          ),
        ),
      );
    },
    verifyCode: (token, code, context) => {
      const now = clock.now();
      if (typeof code !== 'string' || code.length > MAX_CODE_LENGTH)
        return TE.left(domainError('INVALID_INPUT', { fields: 'code' }));
      return storage.unitOfWork((session) =>
        pipe(
          signerOnTurn(session, token, now),
          TE.chain(({ procedure: p, signer: { position } }) =>
            pipe(
              TE.fromEither(
                verifyCode(
                  hashCode(deps.secrets.codeHashKey, codeSubject(p.id, position), code.trim()),
                  context,
                  now,
                  position,
                )(p),
              ),
              TE.chainFirst((result) => persistTransition(session, p, result, now)),
            ),
          ),
          TE.map((result) =>
            result.outcome === 'verified'
              ? { outcome: 'verified' as const }
              : { outcome: 'rejected' as const, attemptsLeft: result.attemptsLeft },
          ),
        ),
      );
    },
    sign: makeSign(deps),
    decline: (token, reason, context) => {
      const now = clock.now();
      return pipe(
        senderOfLink(token),
        TE.chain((sender) =>
          storage.unitOfWork((session) =>
            pipe(
              signerOnTurn(session, token, now),
              TE.chain((link) =>
                pipe(
                  // Declining straight from the email's link opens it on the way, as asking for a code does.
                  arrive(session, link, context, now),
                  TE.chain((before) =>
                    pipe(
                      TE.fromEither(decline(reason, context, now, link.signer.position)(before)),
                      TE.chain((transition) =>
                        persistTransition(
                          session,
                          before,
                          transition,
                          now,
                          senderNotification(transition, sender),
                        ),
                      ),
                    ),
                  ),
                  TE.map((declined) => toSigningPageView(declined, link.signer.position, sender.name, now)),
                ),
              ),
            ),
          ),
        ),
      );
    },
  };

  /** What the signer's page passes is decoded here, once: the calls above trust their arguments. */
  const withContext = <A>(
    raw: unknown,
    call: (context: RequestContext | undefined) => TE.TaskEither<DomainError, A>,
  ): TE.TaskEither<DomainError, A> => pipe(TE.fromEither(decodeRequestContext(raw)), TE.chain(call));

  return {
    open: (token, context) => withContext(context, (c) => trusted.open(token, c)),
    document: trusted.document,
    requestCode: (token, context) => withContext(context, (c) => trusted.requestCode(token, c)),
    verifyCode: (token, code, context) => withContext(context, (c) => trusted.verifyCode(token, code, c)),
    sign: (token, consent, context) =>
      typeof consent !== 'boolean'
        ? TE.left(domainError('INVALID_INPUT', { fields: 'consent' }))
        : withContext(context, (c) => trusted.sign(token, consent, c)),
    decline: (token, reason, context) =>
      pipe(
        TE.fromEither(decodeReason(reason)),
        TE.chain((decoded) => withContext(context, (c) => trusted.decline(token, decoded, c))),
      ),
  };
};
