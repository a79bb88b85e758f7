import * as E from 'fp-ts/lib/Either.js';
import { captureCredit } from '../credit-ledger/credit-ledger.js';
import { type DomainError, domainError } from '../errors.js';
import type { RequestContext, Sha256Hex } from '../shared/types.js';
import { checkCanIssue, checkCode, issueCode } from '../sms-code/sms-code.js';
import { isTerminal, type ProcedureStatus } from './procedure-status.js';
import type { SignatureProcedure, Transition } from './signature-procedure.js';
import { deadlineRefusal, endUnsigned, event, statusRefusal, step } from './step.js';

/** An ended procedure says so; one still in progress refuses every signer action as expired after its deadline. */
const signerRefusal = (
  procedure: SignatureProcedure,
  allowed: ReadonlyArray<ProcedureStatus>,
  now: Date,
): DomainError | undefined =>
  isTerminal(procedure.status)
    ? statusRefusal(procedure, allowed)
    : (deadlineRefusal(procedure, now) ?? statusRefusal(procedure, allowed));

/** The signer opened the link: `sent` becomes `opened`; opening again is recorded. */
export const open =
  (context: RequestContext | undefined, now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const refused = signerRefusal(procedure, ['sent', 'opened'], now);
    if (refused !== undefined) return E.left(refused);
    return E.right(step(procedure, { status: 'opened' }, event('opened', now, 'signer', {}, context)));
  };

/** A code is issued only after opening, respecting the cooldown and the per-procedure limit; only its hash is kept. */
export const requestCode =
  (codeHash: string, context: RequestContext | undefined, now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const refused = signerRefusal(procedure, ['opened'], now);
    if (refused !== undefined) return E.left(refused);
    const allowed = checkCanIssue(procedure.sms, procedure.smsPolicy, now);
    if (E.isLeft(allowed)) return allowed;
    const sms = issueCode(procedure.sms, codeHash, procedure.smsPolicy, now);
    const codeNumber = procedure.sms.codes.length + 1;
    return E.right(step(procedure, { sms }, event('code_sent', now, 'signer', { codeNumber }, context)));
  };

export type VerifyResult = Transition &
  ({ readonly outcome: 'verified' } | { readonly outcome: 'rejected'; readonly attemptsLeft: number });

/** A correct, unexpired, unused code verifies the signer; a wrong one is counted (and kept) even though it fails. */
export const verifyCode =
  (candidateHash: string, context: RequestContext | undefined, now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, VerifyResult> => {
    const refused = signerRefusal(procedure, ['opened'], now);
    if (refused !== undefined) return E.left(refused);
    const check = checkCode(procedure.sms, candidateHash, procedure.smsPolicy, now);
    if (E.isLeft(check)) return check;
    const result = check.right;
    if (result.outcome === 'verified') {
      const verified = step(
        procedure,
        { status: 'verified', sms: result.state },
        event('code_verified', now, 'signer', {}, context),
      );
      // Not `{ ...verified, outcome }`: adding a key to a spread copy is a slow path in V8 (microseconds).
      const { procedure: next, events, ledger } = verified;
      return E.right({ procedure: next, events, ledger, outcome: 'verified' });
    }
    const { attemptsLeft } = result;
    const rejected = step(
      procedure,
      { sms: result.state },
      event('code_rejected', now, 'signer', { attemptsLeft }, context),
    );
    const { procedure: next, events, ledger } = rejected;
    return E.right({ procedure: next, events, ledger, outcome: 'rejected', attemptsLeft });
  };

/** Checks, before any sealing work, that the signer may sign now: verified, before the deadline, consent given. */
export const checkCanSign = (
  procedure: SignatureProcedure,
  consent: boolean,
  now: Date,
): E.Either<DomainError, SignatureProcedure> => {
  const refused = signerRefusal(procedure, ['verified'], now);
  if (refused?.code === 'TRANSITION_NOT_ALLOWED') {
    return E.left(domainError('CODE_NOT_VERIFIED', { status: procedure.status }));
  }
  if (refused !== undefined) return E.left(refused);
  return consent ? E.right(procedure) : E.left(domainError('CONSENT_REQUIRED'));
};

export interface SignInput {
  readonly consent: boolean;
  readonly consentText: string;
  readonly signedSha256: Sha256Hex;
  readonly context?: RequestContext;
}

/** A procedure is signed only after its SMS code was verified, with explicit consent; the credit is captured. */
export const sign =
  (input: SignInput, now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const allowed = checkCanSign(procedure, input.consent, now);
    if (E.isLeft(allowed)) return allowed;
    const captured = captureCredit(procedure.credit, procedure.tenantId, procedure.id, now);
    if (E.isLeft(captured)) return captured;
    const { consentText, signedSha256 } = input;
    return E.right(
      step(
        procedure,
        { status: 'signed', signedAt: now, endedAt: now, signedSha256, consentText, credit: 'captured' },
        event(
          'signed',
          now,
          'signer',
          { consentText, credit: 'captured', signedDocumentSha256: signedSha256 },
          input.context,
        ),
        [captured.right],
      ),
    );
  };

/** The signer may refuse once they opened the link, with an optional reason; the credit comes back. */
export const decline =
  (reason: string | undefined, context: RequestContext | undefined, now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const refused = signerRefusal(procedure, ['opened', 'verified'], now);
    if (refused !== undefined) return E.left(refused);
    const data =
      reason === undefined ? { credit: 'released' as const } : { credit: 'released' as const, reason };
    const declined = event('declined', now, 'signer', data, context);
    return endUnsigned(procedure, 'declined', declined, reason);
  };
