import type { Contact, SendSigners } from '@paraphe/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeContact, right, seller, TENANT } from '../test-support/harness.js';
import { expectRefusedUnchanged } from '../test-support/observe.js';
import { readyHarness, scopeOf, sendInput } from '../test-support/story.js';

const other = (id: string, n: number): Contact => ({
  id,
  firstName: 'Autre',
  lastName: `Contact ${n}`,
  email: `autre${n}@example.fr`,
  mobile: `06 10 20 30 ${String(40 + n)}`,
});

/** Another contact of the quote who is the first contact under another id: same email, so the same person. */
const twin: Contact = {
  ...other('twin', 9),
  ...(completeContact.email === undefined ? {} : { email: completeContact.email }),
};

const OTHERS: ReadonlyArray<Contact> = [other('c-2', 2), other('c-3', 3), twin];

const request = fc.record({
  /** How many of `OTHERS` the CRM returns for the quote. */
  others: fc.integer({ min: 0, max: OTHERS.length }),
  contactIds: fc.option(fc.array(fc.constantFrom('c-1', 'c-2', 'c-3', 'twin', 'c-9'), { maxLength: 6 }), {
    nil: undefined,
  }),
  // dan can countersign; eve has no mobile; ghost is no user of the tenant.
  countersignerId: fc.option(fc.constantFrom('dan', 'eve', 'ghost'), { nil: undefined }),
  order: fc.option(fc.constantFrom('sequential' as const, 'parallel' as const), { nil: undefined }),
  credits: fc.constantFrom(0, 2, 2, 2),
});

type Request = typeof request extends fc.Arbitrary<infer A> ? A : never;

/** Whether the rules let it go, as the issue states them, worked out apart from the code under test. */
const sendable = (r: Request): boolean => {
  const onQuote = new Set(['c-1', ...OTHERS.slice(0, r.others).map((c) => c.id)]);
  const ids = r.contactIds ?? ['c-1'];
  const samePerson = ids.includes('c-1') && ids.includes('twin');
  return (
    r.credits > 0 &&
    ids.length > 0 &&
    ids.every((id) => onQuote.has(id)) &&
    new Set(ids).size === ids.length &&
    !samePerson &&
    (r.countersignerId === undefined || r.countersignerId === 'dan')
  );
};

describe('a send to any list of signers', () => {
  it('creates one procedure with one reserved credit and its invitations (the first in sequence, all in parallel), or refuses and leaves nothing', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const h = await readyHarness({ credits: r.credits, quotes: 0, dispatch: 'manual' });
        await h.putQuote('q1', { otherContacts: OTHERS.slice(0, r.others) });
        h.crm.putUser(TENANT, {
          id: 'dan',
          name: 'Dan Morel',
          email: 'dan@acme.example',
          mobile: '06 55 44 33 22',
        });
        h.crm.putUser(TENANT, { id: 'eve', name: 'Eve Petit', email: 'eve@acme.example' });
        const signers: SendSigners = {
          ...(r.contactIds === undefined ? {} : { contactIds: r.contactIds }),
          ...(r.countersignerId === undefined ? {} : { countersignerId: r.countersignerId }),
          ...(r.order === undefined ? {} : { order: r.order }),
        };
        const input = sendInput('q1', { signers });

        if (!sendable(r)) {
          await expectRefusedUnchanged(
            h,
            scopeOf('q1'),
            'SEND_REFUSED',
            h.paraphe.sender.send(seller, input),
          );
          return;
        }
        const view = await right(h.paraphe.sender.send(seller, input));
        const count = (r.contactIds ?? ['c-1']).length + (r.countersignerId === undefined ? 0 : 1);
        const invited = r.order === 'parallel' ? count : 1;
        expect(await right(h.paraphe.sender.listProcedures(seller, 'q1'))).toHaveLength(1);
        expect(await right(h.paraphe.sender.getCredits(seller))).toMatchObject({
          available: r.credits - 1,
          reserved: 1,
        });
        const outbox = await right(() => h.storage.unitOfWork((s) => s.outbox.list())());
        const invitations = outbox.flatMap((record) =>
          record.message.kind === 'email' &&
          record.message.email.kind === 'invitation' &&
          record.message.email.procedureId === view.id
            ? [record.message.email]
            : [],
        );
        expect(invitations).toHaveLength(invited);
        expect(new Set(invitations.map((m) => m.id)).size).toBe(invited);
        expect(invitations.map((m) => m.signerPosition ?? 0)).toEqual(
          Array.from({ length: invited }, (_, i) => i),
        );
        // With several signers each invitation names its signer; with one, none does (as always).
        expect(invitations.every((m) => (m.signerPosition !== undefined) === count > 1)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
