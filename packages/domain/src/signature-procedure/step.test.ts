import { describe, expect, it } from 'vitest';
import { verifyChain } from '../audit-trail/audit-chain.js';
import type { Sha256Hex } from '../shared/types.js';
import { at, pendingProcedure, seconds, T0 } from '../test-support/fixtures.js';
import type {
  InProgressProcedure,
  SignatureProcedure,
  SignedProcedure,
  UnsignedProcedure,
} from './signature-procedure.js';
import { event, step } from './step.js';

describe('step', () => {
  // `Required<…>`: a field added to SignatureProcedure, optional or not, must be added here before this compiles,
  // and then this test checks that `step` carries it over (it copies field by field, for speed).
  // Every optional field of every member of the union at once: not a procedure that could happen, a copy test.
  const everyField = {
    ...(pendingProcedure() as InProgressProcedure),
    idempotencyKey: 'key-1',
    invitation: { subject: 'Quote', body: 'Please sign' },
    signedAt: at(T0, seconds(90)),
    signedSha256: 'a'.repeat(64) as Sha256Hex,
    endedAt: at(T0, seconds(90)),
    declineReason: 'no',
  } satisfies Required<InProgressProcedure> &
    Required<Omit<SignedProcedure, 'status' | 'credit'>> &
    Required<Omit<UnsignedProcedure, 'status' | 'credit'>> as unknown as SignatureProcedure;

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
      { status: 'sent', signers: [] },
      event('invitation_sent', now, 'system', {}),
    );
    const { events: _events, version: _version, status: _status, signers: _signers, ...rest } = procedure;
    const { events: _e, version: _v, status: _s, signers: _r, ...before } = pendingProcedure();
    expect(procedure).toMatchObject({ status: 'sent', signers: [], version: 2 });
    expect(rest).toStrictEqual(before);
  });
});
