import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { captureCredit } from '../credit-ledger/credit-ledger.js';
import { type DomainError, domainError } from '../errors.js';
import type { RequestContext, Sha256Hex } from '../shared/types.js';
import { checkCanIssue, checkCode, issueCode } from '../sms-code/sms-code.js';
import { isTerminal } from './procedure-status.js';
import type { SignatureProcedure, Transition } from './signature-procedure.js';
import { endUnsigned, fromContext, requireBeforeDeadline, requireStatus, step } from './step.js';

/** An ended procedure says so; one still in progress refuses every signer action as expired after its deadline. */
const signerMayAct = (
  procedure: SignatureProcedure,
  allowed: Parameters<typeof requireStatus>[1],
  now: Date,
): E.Either<DomainError, SignatureProcedure> =>
  isTerminal(procedure.status)
    ? requireStatus(procedure, allowed)
    : pipe(
        requireBeforeDeadline(procedure, now),
        E.chain((p) => requireStatus(p, allowed)),
      );

/** The signer opened the link: `sent` becomes `opened`; opening again is recorded. */
export const open =
  (context: RequestContext | undefined, now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> =>
    pipe(
      signerMayAct(procedure, ['sent', 'opened'], now),
      E.map((p) =>
        step(p, { status: 'opened' }, [
          { type: 'opened', at: now, actor: 'signer', data: {}, ...fromContext(context) },
        ]),
      ),
    );

/** A code is issued only after opening, respecting the cooldown and the per-procedure limit; only its hash is kept. */
export const requestCode =
  (codeHash: string, context: RequestContext | undefined, now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> =>
    pipe(
      signerMayAct(procedure, ['opened'], now),
      E.chainFirst((p) => checkCanIssue(p.sms, p.smsPolicy, now)),
      E.map((p) =>
        step(p, { sms: issueCode(p.sms, codeHash, p.smsPolicy, now) }, [
          {
            type: 'code_sent',
            at: now,
            actor: 'signer',
            data: { codeNumber: p.sms.codes.length + 1 },
            ...fromContext(context),
          },
        ]),
      ),
    );

export type VerifyResult = Transition &
  ({ readonly outcome: 'verified' } | { readonly outcome: 'rejected'; readonly attemptsLeft: number });

/** A correct, unexpired, unused code verifies the signer; a wrong one is counted (and kept) even though it fails. */
export const verifyCode =
  (candidateHash: string, context: RequestContext | undefined, now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, VerifyResult> =>
    pipe(
      signerMayAct(procedure, ['opened'], now),
      E.chain((p) => checkCode(p.sms, candidateHash, p.smsPolicy, now)),
      E.map((check): VerifyResult => {
        const where = fromContext(context);
        if (check.outcome === 'verified') {
          return {
            ...step(procedure, { status: 'verified', sms: check.state }, [
              { type: 'code_verified', at: now, actor: 'signer', data: {}, ...where },
            ]),
            outcome: 'verified',
          };
        }
        return {
          ...step(procedure, { sms: check.state }, [
            {
              type: 'code_rejected',
              at: now,
              actor: 'signer',
              data: { attemptsLeft: check.attemptsLeft },
              ...where,
            },
          ]),
          outcome: 'rejected',
          attemptsLeft: check.attemptsLeft,
        };
      }),
    );

/** Checks, before any sealing work, that the signer may sign now: verified, before the deadline, consent given. */
export const checkCanSign = (
  procedure: SignatureProcedure,
  consent: boolean,
  now: Date,
): E.Either<DomainError, SignatureProcedure> =>
  pipe(
    signerMayAct(procedure, ['verified'], now),
    E.mapLeft((error) =>
      error.code === 'TRANSITION_NOT_ALLOWED'
        ? domainError('CODE_NOT_VERIFIED', { status: procedure.status })
        : error,
    ),
    E.chain((p) => (consent ? E.right(p) : E.left(domainError('CONSENT_REQUIRED')))),
  );

export interface SignInput {
  readonly consent: boolean;
  readonly consentText: string;
  readonly signedSha256: Sha256Hex;
  readonly context?: RequestContext;
}

/** A procedure is signed only after its SMS code was verified, with explicit consent; the credit is captured. */
export const sign =
  (input: SignInput, now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> =>
    pipe(
      checkCanSign(procedure, input.consent, now),
      E.chain((p) => captureCredit(p.credit, p.tenantId, p.id, now)),
      E.map((captured) =>
        step(
          procedure,
          {
            status: 'signed',
            signedAt: now,
            endedAt: now,
            signedSha256: input.signedSha256,
            consentText: input.consentText,
            credit: 'captured',
          },
          [
            {
              type: 'signed',
              at: now,
              actor: 'signer',
              data: { consentText: input.consentText, signedDocumentSha256: input.signedSha256 },
              ...fromContext(input.context),
            },
            { type: 'credit_captured', at: now, actor: 'system', data: {} },
          ],
          [captured],
        ),
      ),
    );

/** The signer may refuse once they opened the link, with an optional reason; the credit comes back. */
export const decline =
  (reason: string | undefined, context: RequestContext | undefined, now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> =>
    pipe(
      signerMayAct(procedure, ['opened', 'verified'], now),
      E.chain((p) =>
        endUnsigned(
          p,
          'declined',
          {
            type: 'declined',
            at: now,
            actor: 'signer',
            data: reason === undefined ? {} : { reason },
            ...fromContext(context),
          },
          reason === undefined ? {} : { declineReason: reason },
        ),
      ),
    );
