import { describe, expect, it } from 'vitest';
import { verifyChain } from '../audit-trail/audit-chain.js';
import { assertLeft, assertRight } from '../test-support/assert-either.js';
import {
  activeSettings,
  at,
  codeSentProcedure,
  days,
  pendingProcedure,
  seconds,
  sentProcedure,
  T0,
  TENANT,
  verifiedProcedure,
} from '../test-support/fixtures.js';
import { annotate, cancel, expire, markFailed, markSent, recordReminder } from './lifecycle-transitions.js';
import { blocksNewProcedure, isTerminal, terminalStatuses } from './procedure-status.js';

const t = at(T0, seconds(60));
const deadline = at(T0, days(15));

describe('procedure statuses', () => {
  it('knows the terminal ones, and which block a new send', () => {
    expect(terminalStatuses).toEqual(['signed', 'expired', 'cancelled', 'declined', 'failed']);
    expect(['pending', 'sent', 'opened', 'verified'].map((s) => isTerminal(s as never))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(
      ['pending', 'sent', 'opened', 'verified', 'signed'].every((s) => blocksNewProcedure(s as never)),
    ).toBe(true);
    expect(['expired', 'cancelled', 'declined', 'failed'].some((s) => blocksNewProcedure(s as never))).toBe(
      false,
    );
  });
});

describe('markSent', () => {
  it('moves pending to sent and records the invitation', () => {
    const pending = pendingProcedure();
    const { procedure, events, ledger } = assertRight(markSent(t)(pending));
    expect(procedure.status).toBe('sent');
    expect(procedure.version).toBe(pending.version + 1);
    expect(events.map((e) => e.type)).toEqual(['invitation_sent']);
    expect(events[0]).toMatchObject({ at: t, actor: 'system', sequence: 1 });
    expect(ledger).toEqual([]);
    expect(verifyChain(procedure.events).valid).toBe(true);
  });

  it('refuses anything but pending', () => {
    const error = assertLeft(markSent(t)(sentProcedure()));
    expect(error.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(error.message).toEqual({
      fr: "Action impossible dans l'état actuel de la procédure (sent)",
      en: "This action is not possible in the procedure's current state (sent)",
    });
  });
});

describe('markFailed', () => {
  it('fails an undeliverable invitation and releases the credit', () => {
    const { procedure, events, ledger } = assertRight(markFailed('mailbox unknown', t)(pendingProcedure()));
    expect(procedure).toMatchObject({ status: 'failed', credit: 'released', endedAt: t });
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['invitation_failed', { reason: 'mailbox unknown', credit: 'released' }],
    ]);
    expect(ledger).toEqual([
      { kind: 'released', tenantId: TENANT, procedureId: 'proc-1', reason: 'failed', at: t },
    ]);
  });
});

describe('cancel', () => {
  it.each([
    ['pending', pendingProcedure],
    ['sent', sentProcedure],
    ['opened', () => codeSentProcedure()],
    ['verified', verifiedProcedure],
  ])('cancels a %s procedure and releases its credit', (_, make) => {
    const { procedure, events, ledger } = assertRight(cancel('user-1', t)(make()));
    expect(procedure).toMatchObject({ status: 'cancelled', credit: 'released', endedAt: t });
    expect(events.map((e) => [e.type, e.actor, e.data])).toEqual([
      ['cancelled', 'sender', { by: 'user-1', credit: 'released' }],
    ]);
    expect(ledger).toMatchObject([{ kind: 'released', reason: 'cancelled' }]);
  });

  it('cannot cancel after the deadline: the procedure expires instead', () => {
    const error = assertLeft(cancel('user-1', deadline)(sentProcedure()));
    expect(error.code).toBe('PROCEDURE_EXPIRED');
    expect(error.message).toEqual({
      fr: 'La procédure de signature a expiré',
      en: 'The signature procedure has expired',
    });
  });

  it('never cancels twice', () => {
    const cancelled = assertRight(cancel('user-1', t)(sentProcedure())).procedure;
    const error = assertLeft(cancel('user-1', at(t, 1))(cancelled));
    expect(error.code).toBe('PROCEDURE_ENDED');
    expect(error.message).toEqual({
      fr: 'La procédure de signature est terminée (cancelled)',
      en: 'The signature procedure has ended (cancelled)',
    });
  });
});

describe('expire', () => {
  it('expires at the deadline exactly, releasing the credit once', () => {
    const { procedure, events, ledger } = assertRight(expire(deadline)(sentProcedure()));
    expect(procedure).toMatchObject({ status: 'expired', credit: 'released', endedAt: deadline });
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['expired', { deadline: deadline.toISOString(), credit: 'released' }],
    ]);
    expect(ledger).toMatchObject([{ kind: 'released', reason: 'expired', at: deadline }]);
    expect(assertLeft(expire(at(deadline, days(1)))(procedure)).code).toBe('PROCEDURE_ENDED');
  });

  it('refuses before the deadline', () => {
    const error = assertLeft(expire(at(deadline, -1))(verifiedProcedure()));
    expect(error.code).toBe('NOT_YET_DUE');
    expect(error.message).toEqual({
      fr: "La date limite de la procédure n'est pas atteinte",
      en: "The procedure's deadline has not passed",
    });
  });

  it('follows the deadline copied at sending: no setting is read afterwards', () => {
    const oneDay = pendingProcedure({ settings: { ...activeSettings, procedureLifetimeDays: 1 } });
    const sent = assertRight(markSent(t)(oneDay)).procedure;
    expect(assertLeft(expire(at(T0, days(1) - 1))(sent)).code).toBe('NOT_YET_DUE');
    expect(assertRight(expire(at(T0, days(1)))(sent)).procedure.status).toBe('expired');
  });

  it('expires a procedure whose invitation never left once its deadline passed, releasing the credit', () => {
    const pending = pendingProcedure();
    expect(assertLeft(expire(at(pending.deadline, -1))(pending)).code).toBe('NOT_YET_DUE');
    const { procedure, ledger } = assertRight(expire(pending.deadline)(pending));
    expect(procedure).toMatchObject({ status: 'expired', credit: 'released' });
    expect(ledger.map((e) => e.kind)).toEqual(['released']);
  });
});

describe('recordReminder', () => {
  it('counts reminders while the signer has not signed', () => {
    const once = assertRight(recordReminder(t)(sentProcedure())).procedure;
    const twice = assertRight(recordReminder(at(t, days(2)))(once));
    expect(twice.procedure.signers[0]!.remindersSent).toBe(2);
    expect(twice.events.map((e) => [e.type, e.data])).toEqual([['reminder_sent', { number: 2 }]]);
  });

  it('sends no reminder after the deadline, or for a pending procedure', () => {
    expect(assertLeft(recordReminder(deadline)(sentProcedure())).code).toBe('PROCEDURE_EXPIRED');
    expect(assertLeft(recordReminder(t)(pendingProcedure())).code).toBe('TRANSITION_NOT_ALLOWED');
  });
});

describe('annotate', () => {
  it('adds a side note even after the end, without changing status, credit or dates', () => {
    const ended = assertRight(cancel('user-1', t)(verifiedProcedure())).procedure;
    const { procedure, events, ledger } = annotate('follow_up_created', { actionId: 'a-1' }, at(t, 1))(ended);
    expect(procedure).toEqual({ ...ended, events: procedure.events, version: ended.version + 1 });
    expect(events.map((e) => [e.type, e.actor, e.data])).toEqual([
      ['follow_up_created', 'system', { actionId: 'a-1' }],
    ]);
    expect(ledger).toEqual([]);
    expect(verifyChain(procedure.events).valid).toBe(true);
  });
});
