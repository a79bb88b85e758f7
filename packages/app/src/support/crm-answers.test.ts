import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { completeContact, seller, TENANT } from '../test-support/harness.js';
import { expectRefusedUnchanged } from '../test-support/observe.js';
import { THREE_SIGNERS } from '../test-support/several-signers.js';
import { readyHarness, scopeOf, sendInput } from '../test-support/story.js';
import { CRM_LIMITS, decodeCrmQuote, decodeCrmUser } from './crm-answers.js';

const quote = (extra: Record<string, unknown> = {}) => ({
  id: 'q1',
  tenantId: TENANT,
  number: 'D-1',
  ownerId: 'bob',
  contact: completeContact,
  ...extra,
});
const other = (i: number) => ({ ...completeContact, id: `o-${i}`, email: `o${i}@example.fr` });
const fieldOf = (result: E.Either<{ readonly details?: Record<string, unknown> }, unknown>) =>
  E.isLeft(result) ? String(result.left.details?.field) : 'decoded';

describe('the CRM answers the several-signer send reads', () => {
  it("a quote's other contacts: decoded like its contact, absent or null as none, at most CRM_LIMITS.otherContacts", () => {
    const decode = decodeCrmQuote(TENANT, 'q1');
    const two = decode(quote({ otherContacts: [other(1), { ...other(2), firstName: null, mobile: null }] }));
    expect(E.isRight(two) && two.right.otherContacts).toEqual([
      other(1),
      { id: 'o-2', lastName: completeContact.lastName, email: 'o2@example.fr' },
    ]);
    for (const none of [undefined, null]) {
      const decoded = decode(quote({ otherContacts: none }));
      expect(E.isRight(decoded) && 'otherContacts' in decoded.right).toBe(false);
    }
    const most = Array.from({ length: CRM_LIMITS.otherContacts }, (_, i) => other(i));
    expect(fieldOf(decode(quote({ otherContacts: most })))).toBe('decoded');
    expect(fieldOf(decode(quote({ otherContacts: [...most, other(999)] })))).toBe('otherContacts');
    expect(fieldOf(decode(quote({ otherContacts: other(1) })))).toBe('otherContacts');
    // Named down to the contact and its field (after the optional's own `otherContacts`, as for `contact`).
    expect(fieldOf(decode(quote({ otherContacts: [other(1), { ...other(2), id: '' }] })))).toContain(
      'otherContacts.1.id',
    );
    expect(fieldOf(decode(quote({ otherContacts: [{ ...other(1), mobile: 'x'.repeat(65) }] })))).toContain(
      'otherContacts.0.mobile',
    );
  });

  it("a user's mobile: kept when given, absent or null as none, bounded like a contact's", () => {
    expect(decodeCrmUser({ id: 'dan', name: 'Dan', mobile: '06 55 44 33 22' })).toEqual(
      E.right({ id: 'dan', name: 'Dan', mobile: '06 55 44 33 22' }),
    );
    expect(decodeCrmUser({ id: 'dan', name: 'Dan', mobile: null })).toEqual(
      E.right({ id: 'dan', name: 'Dan' }),
    );
    expect(
      fieldOf(decodeCrmUser({ id: 'dan', name: 'Dan', mobile: 'x'.repeat(CRM_LIMITS.mobile + 1) })),
    ).toBe('mobile');
    expect(fieldOf(decodeCrmUser({ id: 'dan', name: 'Dan', mobile: 42 }))).toBe('mobile');
  });

  it('a malformed countersigner answer is CRM_INVALID_DATA on send and on checkSend, nothing changed', async () => {
    const h = await readyHarness({
      quoteSource: (crm) => ({
        ...crm,
        getUser: (tenantId, userId) =>
          userId === 'dan'
            ? TE.right(O.some({ id: 'dan', name: 'Dan', mobile: 7 } as never))
            : crm.getUser(tenantId, userId),
      }),
    });
    await h.putQuote('q1', { otherContacts: [{ ...completeContact, id: 'c-2', email: 'paul@example.fr' }] });
    for (const call of [
      h.paraphe.sender.send(seller, sendInput('q1', { signers: THREE_SIGNERS })),
      h.paraphe.sender.checkSend(seller, 'q1', THREE_SIGNERS),
    ]) {
      const error = await expectRefusedUnchanged(h, scopeOf('q1'), 'CRM_INVALID_DATA', call);
      expect(error.details?.field).toBe('mobile');
    }
  });
});
