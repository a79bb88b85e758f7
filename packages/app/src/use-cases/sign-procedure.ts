import {
  checkCanSign,
  consentText,
  type DomainError,
  domainError,
  newlyInvited,
  type RequestContext,
  type SealRequest,
  type SignatureProcedure,
  type SigningPageView,
  sealingErrorToDomain,
  sha256Hex,
  sign,
} from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { certificateData } from '../support/certificate-data.js';
import { followUpMessage } from '../support/follow-up.js';
import { invitationsFor } from '../support/invitation-email.js';
import { senderNotification } from '../support/lifecycle-messages.js';
import { persistTransition } from '../support/persist-transition.js';
import { loadSender } from '../support/sender.js';
import { loadSettings } from '../support/settings.js';
import { signerOnTurn } from '../support/signer-lookup.js';
import { toSigningPageView } from '../support/views.js';
import type { UseCaseDependencies } from './dependencies.js';

/**
 * How many times a signature is tried again from the start when another signer's signature committed first (parallel
 * signers signing at once): each try seals the latest PDF, so the retry carries the other signature too.
 */
const RETRIES_ON_CONCURRENT_SIGNATURE = 2;

/** The PDF this signer's seal goes over: the latest, with the signatures before it (the original for the first). */
const latestDocument = (procedure: SignatureProcedure) =>
  procedure.signers.some((signer) => signer.status === 'signed') ? 'signed' : 'original';

/**
 * Signing (rules 4–6). The checks run first; sealing and the certificate are made outside any unit of work so no lock
 * waits on PDF work; then one unit of work stores the signed PDF, and, after the last signer, the certificate, the
 * captured credit, the follow-up action and the sender's email — or, before the last, the next signer's invitation —
 * provided nobody changed the procedure meanwhile. The quote is never marked won.
 */
export const makeSign =
  (deps: UseCaseDependencies) =>
  (
    token: string,
    consent: boolean,
    context?: RequestContext,
  ): TE.TaskEither<DomainError, SigningPageView> => {
    const { storage, clock } = deps;

    // A trust service down (TSA, OCSP) says `retryable`: the signer's page offers to try again.
    const sealed = (request: SealRequest): TE.TaskEither<DomainError, Uint8Array> =>
      pipe(deps.sealer.seal(request), TE.mapLeft(sealingErrorToDomain));

    /**
     * The page count the certificate states: counted at sending and kept with the procedure; one sent before that was
     * recorded has its frozen original read and counted again.
     */
    const sentPageCount = (procedure: SignatureProcedure): TE.TaskEither<DomainError, number> =>
      procedure.document.pageCount !== undefined
        ? TE.right(procedure.document.pageCount)
        : pipe(
            storage.unitOfWork((session) =>
              pipe(
                session.documents.get(procedure.id, 'original'),
                TE.chain(
                  TE.fromOption(() => domainError('DOCUMENT_NOT_AVAILABLE', { status: procedure.status })),
                ),
              ),
            ),
            TE.chain((original) => pipe(deps.sealer.inspect(original), TE.mapLeft(sealingErrorToDomain))),
            TE.map((info) => info.pageCount),
          );

    const attempt = (): TE.TaskEither<DomainError, SigningPageView> => {
      const now = clock.now();
      return pipe(
        storage.unitOfWork((session) =>
          pipe(
            signerOnTurn(session, token, now),
            TE.chainFirstEitherK(({ procedure, signer }) =>
              checkCanSign(procedure, consent === true, now, signer.position),
            ),
            TE.bindTo('link'),
            TE.bind('latest', ({ link: { procedure } }) =>
              pipe(
                session.documents.get(procedure.id, latestDocument(procedure)),
                TE.chain(
                  TE.fromOption(() => domainError('DOCUMENT_NOT_AVAILABLE', { status: procedure.status })),
                ),
              ),
            ),
            TE.bind('settings', ({ link: { procedure } }) => loadSettings(session, procedure.tenantId)),
          ),
        ),
        // Before sealing: a CRM failure refuses the call before any PDF work.
        TE.bind('sender', ({ link: { procedure } }) =>
          loadSender(deps.quotes, procedure.tenantId, procedure.senderId),
        ),
        TE.bind('sealed', ({ link: { procedure: before, signer }, latest }) =>
          sealed({
            document: latest,
            procedureId: before.id,
            signerName: signer.identity.name,
            signedAt: now,
            timeZone: before.timeZone,
            language: before.language,
            originalSha256: before.document.sha256,
            // One signer: no slot, the seal as it always was.
            ...(before.signers.length > 1
              ? { slot: { position: signer.position, count: before.signers.length } }
              : {}),
          }),
        ),
        TE.bind('transition', ({ link: { procedure: before, signer }, sealed }) =>
          TE.fromEither(
            sign(
              {
                consent: consent === true,
                consentText: consentText(before.language, before.quoteNumber),
                signedSha256: sha256Hex(sealed),
                ...(context === undefined ? {} : { context }),
              },
              now,
              signer.position,
            )(before),
          ),
        ),
        // Rendered once, after the last signature: the certificate states every signer.
        TE.bind('certificate', ({ link: { procedure: before }, transition, sender, settings }) =>
          transition.procedure.status !== 'signed'
            ? TE.right(undefined)
            : pipe(
                sentPageCount(before),
                TE.chain((pageCount) =>
                  pipe(
                    deps.certificates.render(
                      certificateData(transition.procedure, sender, settings, pageCount),
                    ),
                    TE.mapLeft(sealingErrorToDomain),
                  ),
                ),
              ),
        ),
        TE.chain(
          ({ link: { procedure: before, signer }, transition, sealed, certificate, sender, settings }) => {
            const after = transition.procedure;
            const messages =
              after.status === 'signed'
                ? [...followUpMessage(after, settings, now), ...senderNotification(transition, sender)]
                : invitationsFor(after, sender, newlyInvited(before, after));
            return storage.unitOfWork((session) =>
              pipe(
                persistTransition(session, before, transition, now, messages),
                TE.chainFirst((signed) => session.documents.put(signed.id, 'signed', sealed)),
                TE.chainFirst((signed) =>
                  certificate === undefined
                    ? TE.right(undefined)
                    : session.documents.put(signed.id, 'certificate', certificate),
                ),
                TE.map((signed) => toSigningPageView(signed, signer.position, sender.name, now)),
              ),
            );
          },
        ),
      );
    };

    const tries = (left: number): TE.TaskEither<DomainError, SigningPageView> =>
      pipe(
        attempt(),
        TE.orElse((error) =>
          error.code === 'CONCURRENT_MODIFICATION' && left > 0 ? tries(left - 1) : TE.left(error),
        ),
      );
    return tries(RETRIES_ON_CONCURRENT_SIGNATURE);
  };
