import {
  checkCanSign,
  consentText,
  type DomainError,
  domainError,
  type RequestContext,
  type SignatureProcedure,
  type SigningPageView,
  sha256Hex,
  sign,
} from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { certificateData } from '../support/certificate-data.js';
import { followUpMessage } from '../support/follow-up.js';
import { senderNotification } from '../support/lifecycle-messages.js';
import { persistTransition } from '../support/persist-transition.js';
import { loadSender } from '../support/sender.js';
import { loadSettings } from '../support/settings.js';
import { procedureByToken } from '../support/signer-lookup.js';
import { toSigningPageView } from '../support/views.js';
import type { UseCaseDependencies } from './dependencies.js';

/**
 * Signing (rules 4–6). The checks run first; sealing and the certificate are made outside any unit of work so no lock
 * waits on PDF work; then one unit of work stores the signed PDF, the certificate, the captured credit, the follow-up
 * action and the notifications, provided nobody changed the procedure meanwhile. The quote is never marked won.
 */
export const makeSign =
  (deps: UseCaseDependencies) =>
  (
    token: string,
    consent: boolean,
    context?: RequestContext,
  ): TE.TaskEither<DomainError, SigningPageView> => {
    const { storage, clock } = deps;
    const now = clock.now();
    return pipe(
      storage.unitOfWork((session) =>
        pipe(
          procedureByToken(session, token),
          TE.chainEitherK((p) => checkCanSign(p, consent === true, now)),
          TE.bindTo('before'),
          TE.bind('original', ({ before }) =>
            pipe(
              session.documents.get(before.id, 'original'),
              TE.chain(TE.fromOption(() => domainError('DOCUMENT_NOT_AVAILABLE', { status: before.status }))),
            ),
          ),
          TE.bind('settings', ({ before }) => loadSettings(session, before.tenantId)),
        ),
      ),
      TE.bind('sender', ({ before }) => loadSender(deps.quotes, before.tenantId, before.senderId)),
      TE.bind('sealed', ({ before, original }) =>
        deps.sealer.seal({
          document: original,
          procedureId: before.id,
          signerName: before.signer.name,
          signedAt: now,
          timeZone: before.timeZone,
          language: before.language,
          originalSha256: before.document.sha256,
        }),
      ),
      TE.bind('transition', ({ before, sealed }) =>
        TE.fromEither(
          sign(
            {
              consent: consent === true,
              consentText: consentText(before.language, before.quoteNumber),
              signedSha256: sha256Hex(sealed),
              ...(context === undefined ? {} : { context }),
            },
            now,
          )(before),
        ),
      ),
      // The page count the certificate states: read again from the frozen original, as at sending.
      TE.bind('originalInfo', ({ original }) => deps.sealer.inspect(original)),
      TE.bind('certificate', ({ transition, sender, settings, originalInfo }) =>
        deps.certificates.render(
          certificateData(transition.procedure, sender, settings, originalInfo.pageCount),
        ),
      ),
      TE.chain(({ before, transition, sealed, certificate, sender, settings }) =>
        storage.unitOfWork((session) =>
          pipe(
            persistTransition(session, before, transition, now, [
              ...followUpMessage(transition.procedure, settings, now),
              ...senderNotification(transition, sender),
            ]),
            TE.chainFirst((signed) => session.documents.put(signed.id, 'signed', sealed)),
            TE.chainFirst((signed) => session.documents.put(signed.id, 'certificate', certificate)),
            TE.map((signed: SignatureProcedure) => toSigningPageView(signed, sender.name, now)),
          ),
        ),
      ),
    );
  };
