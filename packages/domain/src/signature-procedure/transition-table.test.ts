import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { DomainError } from '../errors.js';
import type { Sha256Hex } from '../shared/types.js';
import {
  at,
  codeHashFor,
  codeSentProcedure,
  days,
  pendingProcedure,
  seconds,
  sentProcedure,
  T0,
  verifiedProcedure,
} from '../test-support/fixtures.js';
import { cancel, expire, markFailed, markSent, recordReminder } from './lifecycle-transitions.js';
import type { ProcedureStatus } from './procedure-status.js';
import type { SignatureProcedure, Transition } from './signature-procedure.js';
import { decline, open, requestCode, sign, verifyCode } from './signer-transitions.js';

type Action = (now: Date) => (p: SignatureProcedure) => E.Either<DomainError, Transition>;

const actions: Record<string, Action> = {
  markSent: (now) => markSent(now),
  markFailed: (now) => markFailed('bounced', now),
  cancel: (now) => cancel('user-1', now),
  expire: (now) => expire(now),
  open: (now) => open(undefined, now),
  requestCode: (now) => (p) => requestCode(codeHashFor(p, '999999'), undefined, now)(p),
  verifyRightCode: (now) => (p) => verifyCode(codeHashFor(p, '123456'), undefined, now)(p),
  sign: (now) =>
    sign({ consent: true, consentText: 'I accept', signedSha256: 'a'.repeat(64) as Sha256Hex }, now),
  decline: (now) => decline('too expensive', undefined, now),
  reminder: (now) => recordReminder(now),
};
type ActionName = keyof typeof actions;

const must = (r: E.Either<DomainError, Transition>) => {
  if (E.isLeft(r)) throw new Error(r.left.code);
  return r.right.procedure;
};
const t = at(T0, seconds(60));
const procedureIn: Record<ProcedureStatus, () => SignatureProcedure> = {
  pending: () => pendingProcedure(),
  sent: () => sentProcedure(),
  opened: () => codeSentProcedure('123456'),
  verified: () => verifiedProcedure(),
  signed: () => must(actions.sign!(t)(verifiedProcedure())),
  expired: () => must(expire(at(T0, days(16)))(sentProcedure())),
  cancelled: () => must(cancel('user-1', t)(sentProcedure())),
  declined: () => must(decline(undefined, undefined, t)(codeSentProcedure())),
  failed: () => must(markFailed('bounced', t)(pendingProcedure())),
};

const TNA = 'TRANSITION_NOT_ALLOWED';
const ENDED = 'PROCEDURE_ENDED';
const EXPIRED = 'PROCEDURE_EXPIRED';
const NOT_VERIFIED = 'CODE_NOT_VERIFIED';
const allEnded = Object.fromEntries(Object.keys(actions).map((a) => [a, ENDED])) as Record<
  ActionName,
  string
>;

/** Before the deadline (one minute after sending): the resulting status, or the error code. */
// biome-ignore format: one row per status reads as a table
const beforeDeadline: Record<ProcedureStatus, Record<ActionName, string>> = {
  pending: { markSent: 'sent', markFailed: 'failed', cancel: 'cancelled', expire: 'NOT_YET_DUE', open: TNA, requestCode: TNA, verifyRightCode: TNA, sign: NOT_VERIFIED, decline: TNA, reminder: TNA },
  sent: { markSent: TNA, markFailed: TNA, cancel: 'cancelled', expire: 'NOT_YET_DUE', open: 'opened', requestCode: TNA, verifyRightCode: TNA, sign: NOT_VERIFIED, decline: TNA, reminder: 'sent' },
  opened: { markSent: TNA, markFailed: TNA, cancel: 'cancelled', expire: 'NOT_YET_DUE', open: 'opened', requestCode: 'opened', verifyRightCode: 'verified', sign: NOT_VERIFIED, decline: 'declined', reminder: 'opened' },
  verified: { markSent: TNA, markFailed: TNA, cancel: 'cancelled', expire: 'NOT_YET_DUE', open: TNA, requestCode: TNA, verifyRightCode: TNA, sign: 'signed', decline: 'declined', reminder: 'verified' },
  signed: allEnded,
  expired: allEnded,
  cancelled: allEnded,
  declined: allEnded,
  failed: allEnded,
};

/** After the deadline (16 days later), before any sweep ran. */
// biome-ignore format: one row per status reads as a table
const afterDeadline: Record<ProcedureStatus, Record<ActionName, string>> = {
  pending: { markSent: 'sent', markFailed: 'failed', cancel: EXPIRED, expire: 'expired', open: EXPIRED, requestCode: EXPIRED, verifyRightCode: EXPIRED, sign: EXPIRED, decline: EXPIRED, reminder: TNA },
  sent: { markSent: TNA, markFailed: TNA, cancel: EXPIRED, expire: 'expired', open: EXPIRED, requestCode: EXPIRED, verifyRightCode: EXPIRED, sign: EXPIRED, decline: EXPIRED, reminder: EXPIRED },
  opened: { markSent: TNA, markFailed: TNA, cancel: EXPIRED, expire: 'expired', open: EXPIRED, requestCode: EXPIRED, verifyRightCode: EXPIRED, sign: EXPIRED, decline: EXPIRED, reminder: EXPIRED },
  verified: { markSent: TNA, markFailed: TNA, cancel: EXPIRED, expire: 'expired', open: EXPIRED, requestCode: EXPIRED, verifyRightCode: EXPIRED, sign: EXPIRED, decline: EXPIRED, reminder: EXPIRED },
  signed: allEnded,
  expired: allEnded,
  cancelled: allEnded,
  declined: allEnded,
  failed: allEnded,
};

const outcome = (r: E.Either<DomainError, Transition>): string =>
  E.isLeft(r) ? r.left.code : r.right.procedure.status;

const cases = (table: Record<ProcedureStatus, Record<ActionName, string>>) =>
  Object.entries(table).flatMap(([status, row]) =>
    Object.entries(row).map(([action, expected]) => [status as ProcedureStatus, action, expected] as const),
  );

describe('the transition table', () => {
  it.each(cases(beforeDeadline))('before the deadline, %s + %s → %s', (status, action, expected) => {
    const procedure = procedureIn[status]();
    expect(procedure.status).toBe(status);
    expect(outcome(actions[action]!(t)(procedure))).toBe(expected);
  });

  it.each(cases(afterDeadline))('after the deadline, %s + %s → %s', (status, action, expected) => {
    const procedure = procedureIn[status]();
    expect(outcome(actions[action]!(at(T0, days(16)))(procedure))).toBe(expected);
  });

  it('a refused action leaves the procedure untouched', () => {
    for (const status of Object.keys(procedureIn) as ProcedureStatus[]) {
      const procedure = procedureIn[status]();
      const snapshot = structuredClone(procedure);
      for (const action of Object.values(actions)) action(t)(procedure);
      expect(procedure).toEqual(snapshot);
    }
  });
});
