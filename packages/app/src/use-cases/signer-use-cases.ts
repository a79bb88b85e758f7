import { smsCodeText } from '@paraphe/adapters';
import {
  annotate,
  codeFromRandom,
  type DomainError,
  decline,
  domainError,
  hashCode,
  open,
  type RequestContext,
  requestCode,
  type SignatureProcedure,
  type SignerUseCases,
  type StorageSession,
  verifyCode,
} from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { senderNotification } from '../support/lifecycle-messages.js';
import { persistTransition } from '../support/persist-transition.js';
import { loadSender } from '../support/sender.js';
import { procedureByToken } from '../support/signer-lookup.js';

import { effectiveStatus, toSigningPageView } from '../support/views.js';
import type { UseCaseDependencies } from './dependencies.js';
import { makeSign } from './sign-procedure.js';

const MAX_CODE_LENGTH = 32;
const MAX_REASON_LENGTH = 2000;

/** The signer's side (rule 4): open the link, get an SMS code, confirm identity, then sign or decline. */
export const makeSignerUseCases = (deps: UseCaseDependencies): SignerUseCases => {
  const { storage, clock } = deps;

  const pageView = (procedure: SignatureProcedure) =>
    pipe(
      loadSender(deps.quotes, procedure.tenantId, procedure.senderId),
      TE.map((sender) => toSigningPageView(procedure, sender.name, clock.now())),
    );

  /** The first visit moves `sent` to `opened`; later visits change nothing. */
  const openIfSent = (
    session: StorageSession,
    p: SignatureProcedure,
    context: RequestContext | undefined,
    now: Date,
  ) =>
    p.status === 'sent' && now.getTime() < p.deadline.getTime()
      ? pipe(
          TE.fromEither(open(context, now)(p)),
          TE.chain((transition) => persistTransition(session, p, transition, now)),
        )
      : TE.right(p);

  const drawCode = (digits: number): string => {
    for (;;) {
      const code = codeFromRandom(deps.random.bytes(16), digits);
      if (code !== undefined) return code;
    }
  };

  const sendCode = (
    procedure: SignatureProcedure,
    code: string,
  ): TE.TaskEither<DomainError, SignatureProcedure> =>
    pipe(
      deps.sms.send({
        id: `${procedure.id}.code-${procedure.sms.codes.length}`,
        tenantId: procedure.tenantId,
        procedureId: procedure.id,
        language: procedure.language,
        to: procedure.signer.mobile,
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
                  annotate('code_send_failed', { reason: failure.reason }, clock.now())(current),
                  clock.now(),
                ),
              ),
            ),
          ),
          TE.chain(() => TE.left(domainError('DELIVERY_FAILURE', { reason: failure.reason }))),
        ),
      ),
    );

  return {
    open: (token, context) =>
      pipe(
        storage.unitOfWork((session) =>
          pipe(
            procedureByToken(session, token),
            TE.chain((p) => openIfSent(session, p, context, clock.now())),
          ),
        ),
        TE.chain(pageView),
      ),
    document: (token) =>
      storage.unitOfWork((session) =>
        pipe(
          procedureByToken(session, token),
          // An expired, cancelled or failed link no longer shows the document, as it no longer shows the page.
          TE.filterOrElse(
            (p) => !['expired', 'cancelled', 'failed'].includes(effectiveStatus(p, clock.now())),
            () => domainError('LINK_INVALID'),
          ),
          TE.chain((p) =>
            pipe(
              session.documents.get(p.id, p.status === 'signed' ? 'signed' : 'original'),
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
        storage.unitOfWork((session) =>
          pipe(
            procedureByToken(session, token),
            TE.chain((p) => openIfSent(session, p, context, now)),
            TE.chain((p) => {
              const code = drawCode(p.smsPolicy.digits);
              return pipe(
                TE.fromEither(requestCode(hashCode(deps.secrets.codeHashKey, p.id, code), context, now)(p)),
                TE.chain((transition) => persistTransition(session, p, transition, now)),
                TE.map((updated) => ({ updated, code })),
              );
            }),
          ),
        ),
        // Sent after commit: the code is never stored, so it cannot wait in the outbox.
        TE.chain(({ updated, code }) => sendCode(updated, code)),
        TE.chain(pageView),
      );
    },
    verifyCode: (token, code, context) => {
      const now = clock.now();
      if (typeof code !== 'string' || code.length > MAX_CODE_LENGTH)
        return TE.left(domainError('INVALID_INPUT', { fields: 'code' }));
      return storage.unitOfWork((session) =>
        pipe(
          procedureByToken(session, token),
          TE.chain((p) =>
            pipe(
              TE.fromEither(
                verifyCode(hashCode(deps.secrets.codeHashKey, p.id, code.trim()), context, now)(p),
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
      const trimmed = typeof reason === 'string' && reason.trim() !== '' ? reason.trim() : undefined;
      if (trimmed !== undefined && trimmed.length > MAX_REASON_LENGTH) {
        return TE.left(domainError('INVALID_INPUT', { fields: 'reason' }));
      }
      return pipe(
        storage.unitOfWork((session) =>
          pipe(
            procedureByToken(session, token),
            // Declining straight from the email's link opens the procedure on the way, as asking for a code does.
            TE.chain((p) => openIfSent(session, p, context, now)),
            TE.bindTo('before'),
            TE.bind('sender', ({ before }) => loadSender(deps.quotes, before.tenantId, before.senderId)),
            TE.chain(({ before, sender }) =>
              pipe(
                TE.fromEither(decline(trimmed, context, now)(before)),
                TE.chain((transition) =>
                  persistTransition(session, before, transition, now, senderNotification(transition, sender)),
                ),
              ),
            ),
          ),
        ),
        TE.chain(pageView),
      );
    },
  };
};
