import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { Sha256Hex } from '../shared/types.js';
import type { ReminderSettings } from '../tenant-settings/tenant-settings.js';
import { assertLeft, assertRight } from '../test-support/assert-either.js';
import { at, codeHashFor, days, seconds, severalSignersProcedure, T0 } from '../test-support/fixtures.js';
import { cancel, markSent, recordReminder } from './lifecycle-transitions.js';
import { nextReminderAt, remindersDue } from './reminders.js';
import type { SignatureProcedure } from './signature-procedure.js';
import { decline, open, requestCode, sign, verifyCode } from './signer-transitions.js';
import { awaitedSigners, newlyInvited, signerByTokenHash } from './signers.js';

const must = (result: E.Either<{ code: string }, { procedure: SignatureProcedure }>): SignatureProcedure => {
  if (E.isLeft(result)) throw new Error(result.left.code);
  return result.right.procedure;
};

/** Walks one signer from invitation to verified code, each step a second after `from`. */
const verified = (p: SignatureProcedure, position: number, from: Date): SignatureProcedure => {
  let q = must(markSent(from, position)(p));
  q = must(open(undefined, at(from, seconds(1)), position)(q));
  q = must(requestCode(codeHashFor(q, '123456', position), undefined, at(from, seconds(2)), position)(q));
  return must(verifyCode(codeHashFor(q, '123456', position), undefined, at(from, seconds(3)), position)(q));
};

const signedBy = (p: SignatureProcedure, position: number, when: Date): SignatureProcedure =>
  must(
    sign(
      { consent: true, consentText: 'Bon pour accord', signedSha256: 'c'.repeat(64) as Sha256Hex },
      when,
      position,
    )(p),
  );

describe('several signers in sequence', () => {
  it("refuses a later signer's link as not yet their turn, and says nothing else", () => {
    const p = must(markSent(T0, 0)(severalSignersProcedure(3)));
    for (const attempt of [
      open(undefined, T0, 1)(p),
      requestCode('x', undefined, T0, 2)(p),
      decline(undefined, undefined, T0, 1)(p),
    ])
      expect(assertLeft(attempt)).toMatchObject({ code: 'NOT_YOUR_TURN' });
    expect(assertLeft(open(undefined, T0, 1)(p)).details).toBeUndefined();
  });

  it('hands the turn on at each signature, and signs the procedure at the last one only', () => {
    let p = severalSignersProcedure(3);
    for (const position of [0, 1, 2]) {
      const start = at(T0, seconds(100 * position));
      const before = verified(p, position, start);
      p = signedBy(before, position, at(start, seconds(10)));
      expect(p.signers[position]?.status).toBe('signed');
      if (position < 2) {
        expect(newlyInvited(before, p)).toEqual([position + 1]);
        expect(p).toMatchObject({ status: 'pending', credit: 'reserved' });
        expect(awaitedSigners(p).map((s) => s.position)).toEqual([position + 1]);
      }
    }
    expect(p).toMatchObject({ status: 'signed', credit: 'captured', signedAt: at(T0, seconds(210)) });
    expect(p.events.filter((e) => e.type === 'signed').map((e) => [e.data.signer, e.data.credit])).toEqual([
      [1, undefined],
      [2, undefined],
      [3, 'captured'],
    ]);
  });

  it("binds each code to its signer: one signer's code does not verify another", () => {
    const p0 = verified(severalSignersProcedure(2, 'parallel'), 0, T0);
    let p = must(markSent(T0, 1)(p0));
    p = must(open(undefined, T0, 1)(p));
    p = must(requestCode(codeHashFor(p, '654321', 1), undefined, at(T0, seconds(5)), 1)(p));
    const result = assertRight(verifyCode(codeHashFor(p, '654321', 0), undefined, at(T0, seconds(6)), 1)(p));
    expect(result.outcome).toBe('rejected');
  });

  it('finds each signer by their own token hash only', () => {
    const p = severalSignersProcedure(3);
    for (const signer of p.signers) expect(signerByTokenHash(p, signer.tokenHash)).toBe(signer);
    expect(signerByTokenHash(p, 'f'.repeat(64) as Sha256Hex)).toBeUndefined();
  });
});

describe('several signers in parallel', () => {
  it('stands where its least advanced reached signer stands, and ends for everyone at one decline', () => {
    let p = severalSignersProcedure(3, 'parallel');
    expect(p.status).toBe('pending');
    p = verified(p, 0, T0);
    // The others' invitations still wait to leave: the procedure stands where its one reached signer does.
    expect(p.status).toBe('verified');
    p = must(markSent(T0, 1)(p));
    expect(p.status).toBe('sent');
    p = must(markSent(T0, 2)(p));
    p = signedBy(p, 0, at(T0, seconds(20)));
    p = must(open(undefined, at(T0, seconds(21)), 2)(p));
    const declined = assertRight(decline('no', undefined, at(T0, seconds(22)), 2)(p));
    expect(declined.procedure).toMatchObject({ status: 'declined', credit: 'released', declineReason: 'no' });
    expect(declined.ledger.map((e) => e.kind)).toEqual(['released']);
    expect(assertLeft(open(undefined, at(T0, seconds(23)), 1)(declined.procedure)).code).toBe(
      'PROCEDURE_ENDED',
    );
  });

  it('lets the sender cancel after some signed, releasing the one credit', () => {
    const p = signedBy(verified(severalSignersProcedure(2, 'parallel'), 0, T0), 0, at(T0, seconds(10)));
    const cancelled = assertRight(cancel('user-1', at(T0, seconds(11)))(p));
    expect(cancelled.ledger.map((e) => e.kind)).toEqual(['released']);
  });
});

describe('reminders with several signers', () => {
  const settings: ReminderSettings = { enabled: true, intervalDays: 2, maxCount: 2 };

  it('go to each awaited signer on their own schedule, never to one who signed or is not yet invited', () => {
    let p = severalSignersProcedure(3, 'parallel');
    p = must(markSent(T0, 0)(p));
    p = must(markSent(at(T0, days(1)), 1)(p));
    expect(remindersDue(p, settings, at(T0, days(2)))).toEqual([0]);
    expect(remindersDue(p, settings, at(T0, days(3)))).toEqual([0, 1]);
    p = must(recordReminder(at(T0, days(3)), 0)(p));
    expect(nextReminderAt(p, settings, 0)).toEqual(at(T0, days(5)));
    expect(p.signers.map((s) => s.remindersSent)).toEqual([1, 0, 0]);
    const sequential = must(markSent(T0, 0)(severalSignersProcedure(2)));
    expect(remindersDue(sequential, settings, at(T0, days(3)))).toEqual([0]);
  });
});
