import { afterEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../audit-trail/audit-chain.js';
import { emptyBalance } from '../credit-ledger/credit-ledger.js';
import { assertLeft, assertRight } from '../test-support/assert-either.js';
import {
  activeSettings,
  approvedFor,
  at,
  days,
  newProcedure,
  T0,
  TENANT,
  tokensFor,
} from '../test-support/fixtures.js';
import { createProcedure } from './create-procedure.js';

describe('createProcedure', () => {
  const originalZone = process.env.TZ;
  afterEach(() => {
    if (originalZone === undefined) delete process.env.TZ;
    else process.env.TZ = originalZone;
  });

  it('creates a pending procedure, reserves its credit and opens the timeline', () => {
    const { procedure, events, ledger } = assertRight(createProcedure(newProcedure(), T0));
    expect(procedure).toMatchObject({
      id: 'proc-1',
      tenantId: TENANT,
      quoteId: 'quote-1',
      status: 'pending',
      credit: 'reserved',
      createdAt: T0,
      version: 1,
      language: 'fr',
      timeZone: 'Europe/Paris',
      signingOrder: 'sequential',
      signers: [
        {
          position: 0,
          role: 'contact',
          reference: 'contact-1',
          identity: { name: 'Camille Martin', email: 'camille.martin@example.fr', mobile: '+33612345678' },
          status: 'pending',
          sms: { codes: [] },
          remindersSent: 0,
        },
      ],
      document: { fileName: 'Q-2025-001.pdf', byteLength: 25 },
    });
    expect(procedure).not.toHaveProperty('invitation');
    expect(procedure).not.toHaveProperty('idempotencyKey');
    expect(ledger).toEqual([{ kind: 'reserved', tenantId: TENANT, procedureId: 'proc-1', at: T0 }]);
    expect(events.map((e) => e.type)).toEqual(['procedure_created']);
    expect(procedure.events).toEqual(events);
    expect(events[0]?.data).toMatchObject({
      quoteNumber: 'Q-2025-001',
      deadline: procedure.deadline.toISOString(),
      credit: 'reserved',
    });
    expect(verifyChain(events)).toEqual({ valid: true });
  });

  it('keeps the one-signer creation event exactly as it always was (no signer count, no order)', () => {
    const { events } = assertRight(createProcedure(newProcedure(), T0));
    expect(Object.keys(events[0]?.data ?? {})).toEqual([
      'credit',
      'deadline',
      'documentSha256',
      'quoteNumber',
      'senderId',
    ]);
  });

  it('invites only the first of several signers in sequence, and keeps the invitation text for the others', () => {
    const invitation = { subject: 'Devis', body: 'Merci de signer' };
    const { procedure, events, ledger } = assertRight(
      createProcedure(newProcedure({ approved: approvedFor(3), tokens: tokensFor(3), invitation }), T0),
    );
    expect(procedure.signers.map((s) => s.status)).toEqual(['pending', 'waiting', 'waiting']);
    expect(procedure.signers.map((s) => s.position)).toEqual([0, 1, 2]);
    expect(new Set(procedure.signers.map((s) => s.tokenHash)).size).toBe(3);
    expect(procedure.invitation).toEqual(invitation);
    expect(events[0]?.data).toMatchObject({ signers: 3, signingOrder: 'sequential' });
    expect(ledger).toHaveLength(1);
  });

  it('invites every signer at once in parallel, and keeps no invitation text', () => {
    const invitation = { subject: 'Devis', body: 'Merci de signer' };
    const { procedure } = assertRight(
      createProcedure(
        newProcedure({ approved: approvedFor(3, 'parallel'), tokens: tokensFor(3), invitation }),
        T0,
      ),
    );
    expect(procedure.signers.map((s) => s.status)).toEqual(['pending', 'pending', 'pending']);
    expect(procedure).not.toHaveProperty('invitation');
  });

  it('refuses more than ten signers, or none', () => {
    expect(
      assertLeft(createProcedure(newProcedure({ approved: approvedFor(11), tokens: tokensFor(11) }), T0))
        .code,
    ).toBe('TOO_MANY_SIGNERS');
    expect(
      assertLeft(createProcedure(newProcedure({ approved: approvedFor(0), tokens: tokensFor(0) }), T0)).code,
    ).toBe('TOO_MANY_SIGNERS');
  });

  it('refuses without an available credit', () => {
    const error = assertLeft(createProcedure(newProcedure({ balance: emptyBalance }), T0));
    expect(error.code).toBe('NO_CREDIT_AVAILABLE');
  });

  it('copies the lifetime as a deadline, and the code policy, at sending', () => {
    const settings = {
      ...activeSettings,
      procedureLifetimeDays: 7,
      smsCode: { ...activeSettings.smsCode, digits: 8 },
    };
    const { procedure } = assertRight(createProcedure(newProcedure({ settings }), T0));
    expect(procedure.deadline).toEqual(at(T0, days(7)));
    expect(procedure.smsPolicy.digits).toBe(8);
  });

  it('keeps the idempotency key when given', () => {
    const { procedure } = assertRight(createProcedure(newProcedure({ idempotencyKey: 'k-1' }), T0));
    expect(procedure.idempotencyKey).toBe('k-1');
  });

  // Pinned: date-fns `addDays` counts calendar days in the server's zone, so in Paris a 15-day lifetime
  // sent on 20 March (before the DST change) ended at 09:00Z instead of 10:00Z: servers disagreed on deadlines.
  it.each(['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata'])(
    'sets the same deadline on a server in %s',
    (zone) => {
      process.env.TZ = zone;
      const { procedure } = assertRight(createProcedure(newProcedure(), T0));
      expect(procedure.deadline.toISOString()).toBe('2025-04-04T10:00:00.000Z');
    },
  );
});
