import { describe, expect, it } from 'vitest';
import { verifyChain } from '../audit-trail/audit-chain.js';
import type { Sha256Hex } from '../shared/types.js';
import { at, pendingProcedure, seconds, T0 } from '../test-support/fixtures.js';
import type { SignatureProcedure } from './signature-procedure.js';
import { event, step } from './step.js';

describe('step', () => {
  // `Required<…>`: a field added to SignatureProcedure, optional or not, must be added here before this compiles,
  // and then this test checks that `step` carries it over (it copies field by field, for speed).
  const everyField: Required<SignatureProcedure> = {
    ...pendingProcedure(),
    idempotencyKey: 'key-1',
    signedAt: at(T0, seconds(90)),
    signedSha256: 'a'.repeat(64) as Sha256Hex,
    consentText: 'Bon pour accord',
    endedAt: at(T0, seconds(90)),
    declineReason: 'no',
  };

  it('keeps every field it is not asked to change, appends one chained event and bumps the version', () => {
    const now = at(T0, seconds(100));
    const { procedure, events, ledger } = step(everyField, {}, event('crm_notified', now, 'system', {}));
    expect(events).toHaveLength(1);
    expect(procedure).toStrictEqual({ ...everyField, events: [...everyField.events, events[0]], version: 2 });
    expect(ledger).toEqual([]);
    expect(verifyChain(procedure.events)).toEqual({ valid: true });
  });

  it('applies the changes it is given and nothing else', () => {
    const now = at(T0, seconds(100));
    const { procedure } = step(
      pendingProcedure(),
      { status: 'sent', remindersSent: 2 },
      event('invitation_sent', now, 'system', {}),
    );
    const {
      events: _events,
      version: _version,
      status: _status,
      remindersSent: _reminders,
      ...rest
    } = procedure;
    const { events: _e, version: _v, status: _s, remindersSent: _r, ...before } = pendingProcedure();
    expect(procedure).toMatchObject({ status: 'sent', remindersSent: 2, version: 2 });
    expect(rest).toStrictEqual(before);
  });
});
