import * as E from 'fp-ts/lib/Either.js';
import { captureCredit } from '../credit-ledger/credit-ledger.js';
import { type DomainError, domainError } from '../errors.js';
import type { Mutable, RequestContext, Sha256Hex } from '../shared/types.js';
import { checkCanIssue, checkCode, issueCode } from '../sms-code/sms-code.js';
import { isTerminal } from './procedure-status.js';
import type { ProcedureSigner, SignatureProcedure, SignerStatus, Transition } from './signature-procedure.js';
import { progressStatus, signerAt } from './signers.js';
import { deadlineRefusal, endUnsigned, event, signerData, statusRefusal, step, withSigner } from './step.js';

/**
 * Why a signer may not act now: an ended procedure says so; past the deadline every signer action is refused as
 * expired; a signer whose turn has not come learns only that; otherwise their own status must allow the action.
 */
const signerRefusal = (
  procedure: SignatureProcedure,
  signer: ProcedureSigner,
  allowed: ReadonlyArray<SignerStatus>,
  now: Date,
): DomainError | undefined => {
  if (isTerminal(procedure.status)) return statusRefusal(procedure, []);
  const expired = deadlineRefusal(procedure, now);
  if (expired !== undefined) return expired;
  if (signer.status === 'waiting') return domainError('NOT_YOUR_TURN');
  return allowed.includes(signer.status)
    ? undefined
    : domainError('TRANSITION_NOT_ALLOWED', { status: signer.status });
};

/**
 * What a signer keeps whatever their progress, without the fields of their current status: a signer who ends
 * (signed, declined) takes these and the fields of their new status only.
 */
const whoTheyAre = (signer: ProcedureSigner) => ({
  position: signer.position,
  role: signer.role,
  reference: signer.reference,
  identity: signer.identity,
  tokenHash: signer.tokenHash,
  sealedToken: signer.sealedToken,
  sms: signer.sms,
  remindersSent: signer.remindersSent,
});

/** The signer moved on: their new state in the list, and the procedure's status follows its least advanced signer. */
const signerStep = (
  procedure: SignatureProcedure,
  updated: ProcedureSigner,
  draft: Parameters<typeof step>[2],
): Transition => {
  const signers = withSigner(procedure, updated.position, updated);
  return step(procedure, { signers, status: progressStatus(signers) }, draft);
};

/** The signer opened their link: `sent` becomes `opened`; opening again is recorded. */
export const open =
  (context: RequestContext | undefined, now: Date, position = 0) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const signer = signerAt(procedure, position);
    const refused = signerRefusal(procedure, signer, ['sent', 'opened'], now);
    if (refused !== undefined) return E.left(refused);
    return E.right(
      signerStep(
        procedure,
        { ...signer, status: 'opened' },
        event('opened', now, 'signer', signerData(procedure, position, {}), context),
      ),
    );
  };

/** A code is issued only after opening, respecting the cooldown and the per-signer limit; only its hash is kept. */
export const requestCode =
  (codeHash: string, context: RequestContext | undefined, now: Date, position = 0) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const signer = signerAt(procedure, position);
    const refused = signerRefusal(procedure, signer, ['opened'], now);
    if (refused !== undefined) return E.left(refused);
    const allowed = checkCanIssue(signer.sms, procedure.smsPolicy, now);
    if (E.isLeft(allowed)) return allowed;
    const sms = issueCode(signer.sms, codeHash, procedure.smsPolicy, now);
    const codeNumber = signer.sms.codes.length + 1;
    return E.right(
      signerStep(
        procedure,
        { ...signer, sms },
        event('code_sent', now, 'signer', signerData(procedure, position, { codeNumber }), context),
      ),
    );
  };

export type VerifyResult = Transition &
  ({ readonly outcome: 'verified' } | { readonly outcome: 'rejected'; readonly attemptsLeft: number });

/** A correct, unexpired, unused code verifies the signer; a wrong one is counted (and kept) even though it fails. */
export const verifyCode =
  (candidateHash: string, context: RequestContext | undefined, now: Date, position = 0) =>
  (procedure: SignatureProcedure): E.Either<DomainError, VerifyResult> => {
    const signer = signerAt(procedure, position);
    const refused = signerRefusal(procedure, signer, ['opened'], now);
    if (refused !== undefined) return E.left(refused);
    const check = checkCode(signer.sms, candidateHash, procedure.smsPolicy, now);
    if (E.isLeft(check)) return check;
    const result = check.right;
    if (result.outcome === 'verified') {
      const verified = signerStep(
        procedure,
        { ...signer, status: 'verified', sms: result.state },
        event('code_verified', now, 'signer', signerData(procedure, position, {}), context),
      );
      // Not `{ ...verified, outcome }`: adding a key to a spread copy is a slow path in V8 (microseconds).
      const { procedure: next, events, ledger } = verified;
      return E.right({ procedure: next, events, ledger, outcome: 'verified' });
    }
    const { attemptsLeft } = result;
    const rejected = signerStep(
      procedure,
      { ...signer, sms: result.state },
      event('code_rejected', now, 'signer', signerData(procedure, position, { attemptsLeft }), context),
    );
    const { procedure: next, events, ledger } = rejected;
    return E.right({ procedure: next, events, ledger, outcome: 'rejected', attemptsLeft });
  };

/** Checks, before any sealing work, that the signer may sign now: verified, before the deadline, consent given. */
export const checkCanSign = (
  procedure: SignatureProcedure,
  consent: boolean,
  now: Date,
  position = 0,
): E.Either<DomainError, SignatureProcedure> => {
  const signer = signerAt(procedure, position);
  const refused = signerRefusal(procedure, signer, ['verified'], now);
  if (refused?.code === 'TRANSITION_NOT_ALLOWED') {
    return E.left(domainError('CODE_NOT_VERIFIED', { status: signer.status }));
  }
  if (refused !== undefined) return E.left(refused);
  return consent ? E.right(procedure) : E.left(domainError('CONSENT_REQUIRED'));
};

export interface SignInput {
  readonly consent: boolean;
  readonly consentText: string;
  /** The PDF after this signer's seal (the final one when they are the last to sign). */
  readonly signedSha256: Sha256Hex;
  readonly context?: RequestContext;
}

/** In sequence, the next signer's turn comes when the one before signs: they move from `waiting` to `pending`. */
const withNextInvited = (
  procedure: SignatureProcedure,
  signers: ReadonlyArray<ProcedureSigner>,
): ReadonlyArray<ProcedureSigner> => {
  if (procedure.signingOrder !== 'sequential') return signers;
  const next = signers.find((s) => s.status === 'waiting');
  if (next === undefined) return signers;
  const invited = signers.slice();
  invited[next.position] = { ...next, status: 'pending' };
  return invited;
};

/**
 * A signer signs only after their SMS code was verified, with explicit consent. The last signature signs the
 * procedure and captures its credit; an earlier one, in sequence, hands the turn to the next signer.
 */
export const sign =
  (input: SignInput, now: Date, position = 0) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const allowed = checkCanSign(procedure, input.consent, now, position);
    if (E.isLeft(allowed)) return allowed;
    const { consentText, signedSha256 } = input;
    const signer = signerAt(procedure, position);
    const signed: ProcedureSigner = {
      ...whoTheyAre(signer),
      status: 'signed',
      signedAt: now,
      signedSha256,
      consentText,
    };
    const signers = withSigner(procedure, position, signed);
    const last = signers.every((s) => s.status === 'signed');
    if (!last) {
      const next = withNextInvited(procedure, signers);
      const data = signerData(procedure, position, { consentText, signedDocumentSha256: signedSha256 });
      return E.right(
        step(
          procedure,
          { signers: next, status: progressStatus(next) },
          event('signed', now, 'signer', data, input.context),
        ),
      );
    }
    const captured = captureCredit(procedure.credit, procedure.tenantId, procedure.id, now);
    if (E.isLeft(captured)) return captured;
    const data = signerData(procedure, position, {
      consentText,
      credit: 'captured',
      signedDocumentSha256: signedSha256,
    });
    return E.right(
      step(
        procedure,
        { signers, status: 'signed', signedAt: now, endedAt: now, signedSha256, credit: 'captured' },
        event('signed', now, 'signer', data, input.context),
        [captured.right],
      ),
    );
  };

/** A signer may refuse once they opened their link, with an optional reason: it ends the procedure for everyone. */
export const decline =
  (reason: string | undefined, context: RequestContext | undefined, now: Date, position = 0) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const signer = signerAt(procedure, position);
    const refused = signerRefusal(procedure, signer, ['opened', 'verified'], now);
    if (refused !== undefined) return E.left(refused);
    const data: Mutable<{ credit: 'released'; reason?: string }> = { credit: 'released' };
    if (reason !== undefined) data.reason = reason;
    const declined = event('declined', now, 'signer', signerData(procedure, position, data), context);
    const declinedSigner: ProcedureSigner = {
      ...whoTheyAre(signer),
      status: 'declined',
      declinedAt: now,
      ...(reason === undefined ? {} : { declineReason: reason }),
    };
    return endUnsigned(
      procedure,
      'declined',
      declined,
      reason,
      withSigner(procedure, position, declinedSigner),
    );
  };
