import { afterEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../audit-trail/audit-chain.js';
import { emptyBalance } from '../credit-ledger/credit-ledger.js';
import { assertLeft, assertRight } from '../test-support/assert-either.js';
import { activeSettings, at, days, newProcedure, T0, TENANT } from '../test-support/fixtures.js';
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
      remindersSent: 0,
      language: 'fr',
      timeZone: 'Europe/Paris',
      signer: { name: 'Camille Martin', email: 'camille.martin@example.fr', mobile: '+33612345678' },
      document: { fileName: 'Q-2025-001.pdf', byteLength: 25 },
      sms: { codes: [] },
    });
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
