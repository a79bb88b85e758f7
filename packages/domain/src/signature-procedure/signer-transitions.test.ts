import { describe, expect, it } from 'vitest';
import { verifyChain } from '../audit-trail/audit-chain.js';
import type { Sha256Hex } from '../shared/types.js';
import { assertLeft, assertRight } from '../test-support/assert-either.js';
import {
  activeSettings,
  at,
  codeHashFor,
  codeSentProcedure,
  days,
  minutes,
  openedProcedure,
  pendingProcedure,
  seconds,
  sentProcedure,
  T0,
  TENANT,
  verifiedProcedure,
} from '../test-support/fixtures.js';
import { markSent } from './lifecycle-transitions.js';
import type { SignatureProcedure } from './signature-procedure.js';
import {
  checkCanSign,
  decline,
  open,
  requestCode,
  type SignInput,
  sign,
  verifyCode,
} from './signer-transitions.js';

const signed = 'b'.repeat(64) as Sha256Hex;
const consent: SignInput = { consent: true, consentText: 'Bon pour accord', signedSha256: signed };
const deadline = at(T0, days(15));
const ctx = { ip: '203.0.113.7', userAgent: 'Firefox' };

/** Code `123456` issued at T0 + 3 s (see fixtures). */
const issuedAt = at(T0, seconds(3));
const verifyAt = (p: SignatureProcedure, code: string, time: Date) =>
  verifyCode(codeHashFor(p, code), undefined, time)(p);
const wrong = (p: SignatureProcedure, time: Date) => assertRight(verifyAt(p, '000000', time));

describe('open', () => {
  it('moves sent to opened and records where the signer came from', () => {
    const { procedure, events } = assertRight(open(ctx, at(T0, seconds(5)))(sentProcedure()));
    expect(procedure.status).toBe('opened');
    expect(events).toMatchObject([{ type: 'opened', actor: 'signer', ip: ctx.ip, userAgent: ctx.userAgent }]);
  });

  it('records opening again', () => {
    const again = assertRight(open(undefined, at(T0, minutes(1)))(openedProcedure()));
    expect(again.procedure.status).toBe('opened');
    expect(again.events[0]).not.toHaveProperty('ip');
    expect(again.procedure.events.filter((e) => e.type === 'opened')).toHaveLength(2);
  });

  // Pinned: after the deadline, actions in the wrong status used to say TRANSITION_NOT_ALLOWED
  // (or CODE_NOT_VERIFIED for `sign`) instead of PROCEDURE_EXPIRED.
  it('refuses after the deadline with PROCEDURE_EXPIRED even before the sweep, whatever the status', () => {
    expect(assertLeft(open(undefined, deadline)(sentProcedure())).code).toBe('PROCEDURE_EXPIRED');
    expect(assertLeft(open(undefined, deadline)(pendingProcedure())).code).toBe('PROCEDURE_EXPIRED');
    expect(assertLeft(requestCode('h', undefined, deadline)(sentProcedure())).code).toBe('PROCEDURE_EXPIRED');
    expect(assertLeft(sign(consent, deadline)(codeSentProcedure())).code).toBe('PROCEDURE_EXPIRED');
  });

  // Shrunk counterexample of signature-procedure.model.test.ts:
  // [1 credit, send(p1), advance(172800000 ms), sign(p1, consent=false)] said CODE_NOT_VERIFIED.
  it('refuses to sign a pending procedure past its deadline as expired', () => {
    const p = pendingProcedure({ settings: { ...activeSettings, procedureLifetimeDays: 2 } });
    const error = assertLeft(sign({ ...consent, consent: false }, at(T0, days(2)))(p));
    expect(error.code).toBe('PROCEDURE_EXPIRED');
  });
});

describe('requestCode', () => {
  it('issues a code after opening, keeping only its hash', () => {
    const opened = openedProcedure();
    const { procedure, events } = assertRight(
      requestCode(codeHashFor(opened, '908172'), ctx, issuedAt)(opened),
    );
    expect(procedure.signers[0]!.sms.codes).toHaveLength(1);
    expect(procedure.signers[0]!.sms.codes[0]).toMatchObject({
      hash: codeHashFor(opened, '908172'),
      status: 'active',
    });
    expect(JSON.stringify(procedure)).not.toContain('908172');
    expect(events).toMatchObject([{ type: 'code_sent', data: { codeNumber: 1 }, ip: ctx.ip }]);
  });

  it('is refused before the link was opened', () => {
    expect(assertLeft(requestCode('h', undefined, at(T0, seconds(5)))(sentProcedure())).code).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
  });

  it('waits 30 s between codes and says how many seconds are left', () => {
    const error = assertLeft(requestCode('h', undefined, at(issuedAt, seconds(10)))(codeSentProcedure()));
    expect(error.code).toBe('CODE_COOLDOWN');
    expect(error.details).toEqual({ retryAfterSeconds: 20 });
    expect(error.message.fr).toBe('Veuillez patienter 20 s avant de demander un nouveau code');
    assertRight(requestCode('h', undefined, at(issuedAt, seconds(30)))(codeSentProcedure()));
  });

  it('issues at most five codes, so at most fifteen guesses', () => {
    let p = openedProcedure();
    let guesses = 0;
    for (let n = 0; n < 5; n++) {
      const time = at(T0, minutes(n + 1));
      p = assertRight(requestCode(codeHashFor(p, '123456'), undefined, time)(p)).procedure;
      for (let g = 0; g < 3; g++) {
        p = wrong(p, at(time, seconds(g + 1))).procedure;
        guesses += 1;
      }
      expect(assertLeft(verifyAt(p, '000000', at(time, seconds(5)))).code).toBe('NO_ACTIVE_CODE');
    }
    expect(guesses).toBe(15);
    const error = assertLeft(requestCode('h', undefined, at(T0, minutes(30)))(p));
    expect(error.code).toBe('CODE_LIMIT_REACHED');
    expect(p.signers[0]!.sms.codes.map((c) => c.status)).toEqual(['dead', 'dead', 'dead', 'dead', 'dead']);
  });
});

describe('verifyCode', () => {
  it('verifies the right code', () => {
    const withCode = codeSentProcedure();
    const result = assertRight(verifyAt(withCode, '123456', at(issuedAt, minutes(1))));
    expect(result.outcome).toBe('verified');
    expect(result.procedure.status).toBe('verified');
    expect(result.procedure.signers[0]!.sms.verifiedAt).toEqual(at(issuedAt, minutes(1)));
    expect(result.events.map((e) => e.type)).toEqual(['code_verified']);
  });

  it('counts a wrong code, tells the attempts left, and keeps the procedure opened', () => {
    const result = wrong(codeSentProcedure(), at(issuedAt, seconds(5)));
    expect(result).toMatchObject({ outcome: 'rejected', attemptsLeft: 2 });
    expect(result.procedure.status).toBe('opened');
    expect(result.events).toMatchObject([{ type: 'code_rejected', data: { attemptsLeft: 2 } }]);
  });

  it('kills the code after three wrong attempts: even the right one is then refused', () => {
    let p = codeSentProcedure();
    for (const left of [2, 1, 0]) {
      const result = wrong(p, at(issuedAt, seconds(10 - left)));
      expect(result).toMatchObject({ outcome: 'rejected', attemptsLeft: left });
      p = result.procedure;
    }
    expect(assertLeft(verifyAt(p, '123456', at(issuedAt, seconds(20)))).code).toBe('NO_ACTIVE_CODE');
  });

  it('refuses the right code once five minutes have passed', () => {
    const error = assertLeft(verifyAt(codeSentProcedure(), '123456', at(issuedAt, minutes(5))));
    expect(error.code).toBe('CODE_EXPIRED');
    assertRight(verifyAt(codeSentProcedure(), '123456', at(issuedAt, minutes(5) - 1)));
  });

  it('uses a code once', () => {
    const verified = verifiedProcedure();
    expect(assertLeft(verifyAt(verified, '123456', at(issuedAt, seconds(10)))).code).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
    expect(verified.signers[0]!.sms.codes[0]?.status).toBe('used');
  });

  it('accepts only the newest code', () => {
    const first = codeSentProcedure('111111');
    const second = assertRight(
      requestCode(codeHashFor(first, '222222'), undefined, at(issuedAt, seconds(30)))(first),
    ).procedure;
    expect(wrong(second, at(issuedAt, seconds(31))).outcome).toBe('rejected');
    expect(verifyAt(second, '111111', at(issuedAt, seconds(32)))).toMatchObject({
      right: { outcome: 'rejected' },
    });
    expect(assertRight(verifyAt(second, '222222', at(issuedAt, seconds(33)))).outcome).toBe('verified');
  });

  it('binds a code to its procedure', () => {
    const other = codeSentProcedure();
    const stolen = verifyCode(
      codeHashFor({ ...other, id: 'proc-2' }, '123456'),
      undefined,
      at(issuedAt, 1000),
    )(other);
    expect(assertRight(stolen).outcome).toBe('rejected');
  });

  it('follows the code policy copied at sending', () => {
    const strict = { ...activeSettings, smsCode: { ...activeSettings.smsCode, maxWrongAttemptsPerCode: 1 } };
    const sent = assertRight(markSent(at(T0, 1000))(pendingProcedure({ settings: strict }))).procedure;
    const opened = assertRight(open(undefined, at(T0, 2000))(sent)).procedure;
    const withCode = assertRight(
      requestCode(codeHashFor(opened, '123456'), undefined, issuedAt)(opened),
    ).procedure;
    expect(wrong(withCode, at(issuedAt, 1000))).toMatchObject({ attemptsLeft: 0 });
  });
});

describe('sign', () => {
  it('signs a verified procedure with consent and captures the credit', () => {
    const now = at(T0, minutes(2));
    const { procedure, events, ledger } = assertRight(
      sign({ ...consent, context: ctx }, now)(verifiedProcedure()),
    );
    expect(procedure).toMatchObject({
      status: 'signed',
      credit: 'captured',
      signedAt: now,
      endedAt: now,
      signedSha256: signed,
    });
    expect(procedure.signers[0]).toMatchObject({
      status: 'signed',
      signedAt: now,
      signedSha256: signed,
      consentText: 'Bon pour accord',
    });
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['signed', { consentText: 'Bon pour accord', signedDocumentSha256: signed, credit: 'captured' }],
    ]);
    expect(events[0]).toMatchObject({ ip: ctx.ip, userAgent: ctx.userAgent });
    expect(ledger).toEqual([{ kind: 'captured', tenantId: TENANT, procedureId: 'proc-1', at: now }]);
    expect(verifyChain(procedure.events).valid).toBe(true);
  });

  it('requires a verified code', () => {
    const error = assertLeft(sign(consent, at(T0, minutes(2)))(codeSentProcedure()));
    expect(error.code).toBe('CODE_NOT_VERIFIED');
    expect(error.message).toEqual({
      fr: "L'identité doit être confirmée par le code SMS avant de signer",
      en: 'Identity must be confirmed with the SMS code before signing',
    });
  });

  it('requires consent', () => {
    const error = assertLeft(sign({ ...consent, consent: false }, at(T0, minutes(2)))(verifiedProcedure()));
    expect(error.code).toBe('CONSENT_REQUIRED');
    expect(error.message).toEqual({
      fr: 'Vous devez accepter le document pour le signer',
      en: 'You must accept the document to sign it',
    });
    expect(assertLeft(checkCanSign(verifiedProcedure(), false, at(T0, minutes(2)))).code).toBe(
      'CONSENT_REQUIRED',
    );
    assertRight(checkCanSign(verifiedProcedure(), true, at(T0, minutes(2))));
  });

  it('is refused after the deadline and once ended', () => {
    expect(assertLeft(sign(consent, deadline)(verifiedProcedure())).code).toBe('PROCEDURE_EXPIRED');
    const done = assertRight(sign(consent, at(T0, minutes(2)))(verifiedProcedure())).procedure;
    const error = assertLeft(sign(consent, at(T0, minutes(3)))(done));
    expect(error.code).toBe('PROCEDURE_ENDED');
    expect(error.message.en).toBe('The signature procedure has ended (signed)');
  });
});

describe('decline', () => {
  it('lets the signer refuse with a reason, releasing the credit', () => {
    const now = at(T0, minutes(1));
    const { procedure, events, ledger } = assertRight(
      decline('Prix trop élevé', ctx, now)(codeSentProcedure()),
    );
    expect(procedure).toMatchObject({
      status: 'declined',
      credit: 'released',
      declineReason: 'Prix trop élevé',
      endedAt: now,
    });
    expect(events.map((e) => [e.type, e.actor, e.data])).toEqual([
      ['declined', 'signer', { reason: 'Prix trop élevé', credit: 'released' }],
    ]);
    expect(ledger).toMatchObject([{ kind: 'released', reason: 'declined' }]);
  });

  it('accepts no reason, and a verified signer may still refuse', () => {
    const { procedure, events } = assertRight(
      decline(undefined, undefined, at(T0, minutes(1)))(verifiedProcedure()),
    );
    expect(procedure.status).toBe('declined');
    expect(procedure).not.toHaveProperty('declineReason');
    expect(events[0]?.data).toEqual({ credit: 'released' });
  });

  it('needs the link opened first', () => {
    expect(assertLeft(decline(undefined, undefined, at(T0, minutes(1)))(sentProcedure())).code).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
  });
});
