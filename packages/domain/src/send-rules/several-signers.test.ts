import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { Contact, Quote } from '../quote/quote.js';
import { MAX_SIGNERS } from '../signature-procedure/signature-procedure.js';
import { assertLeft, assertRight } from '../test-support/assert-either.js';
import { activeSettings, contact, quote, sender } from '../test-support/fixtures.js';
import { checkSendPreconditions, type SendCandidate, type SignerRequest } from './send-preconditions.js';

const colleague = (
  n: number,
  overrides: { readonly email?: string | undefined; readonly mobile?: string } = {},
): Contact => {
  const email = 'email' in overrides ? overrides.email : `d.durand${n}@example.fr`;
  return {
    id: `contact-${n}`,
    firstName: 'Dominique',
    lastName: `Durand ${n}`,
    ...(email === undefined ? {} : { email }),
    mobile: overrides.mobile ?? `06 12 34 56 ${String(n).padStart(2, '0')}`,
  };
};

const withContacts = (others: ReadonlyArray<Contact>): Quote => ({ ...quote, otherContacts: others });

const candidate = (q: Quote, signers?: SignerRequest): SendCandidate => ({
  actor: sender,
  quote: q,
  existingProcedures: [],
  availableCredits: 1,
  settings: activeSettings,
  ...(signers === undefined ? {} : { signers }),
});

const seller = {
  id: 'user-1',
  name: 'Sacha Vendeur',
  email: 'sacha@vendor.example',
  mobile: '+33699887766',
};

describe('send rules with several signers', () => {
  it('lists the contacts asked for in order, then the countersigner, in the order asked', () => {
    const approved = assertRight(
      checkSendPreconditions(
        candidate(withContacts([colleague(2)]), {
          contactIds: ['contact-2', 'contact-1'],
          countersigner: seller,
          order: 'parallel',
        }),
      ),
    );
    expect(approved.signers.map((s) => [s.role, s.reference, s.identity.name])).toEqual([
      ['contact', 'contact-2', 'Dominique Durand 2'],
      ['contact', 'contact-1', 'Camille Martin'],
      ['countersigner', 'user-1', 'Sacha Vendeur'],
    ]);
    expect(approved.signingOrder).toBe('parallel');
  });

  it('keeps the one-signer case exactly as before: the quote contact, in sequence', () => {
    const approved = assertRight(checkSendPreconditions(candidate(quote)));
    expect(approved.signers).toHaveLength(1);
    expect(approved.signers[0]).toMatchObject({ role: 'contact', reference: 'contact-1' });
    expect(approved.signingOrder).toBe('sequential');
  });

  it('lists every reason at once, each naming the signer it concerns', () => {
    const errors = assertLeft(
      checkSendPreconditions(
        candidate(
          withContacts([colleague(2, { email: undefined }), colleague(3, { mobile: '01 40 00 00 00' })]),
          {
            contactIds: ['contact-1', 'contact-2', 'contact-3', 'contact-9'],
            countersigner: { id: seller.id, name: seller.name, email: seller.email },
          },
        ),
      ),
    );
    expect(errors.map((e) => [e.code, e.details?.signer])).toEqual([
      ['SIGNER_NOT_ON_QUOTE', 4],
      ['CONTACT_EMAIL_MISSING', 2],
      ['CONTACT_MOBILE_NOT_MOBILE', 3],
      ['CONTACT_MOBILE_MISSING', 4],
    ]);
    expect(errors[1]?.details?.name).toBe('Dominique Durand 2');
    for (const e of errors) expect(e.message.fr.length * e.message.en.length).toBeGreaterThan(0);
  });

  it('refuses the same person twice: same contact, same email or same mobile', () => {
    const sameEmail = colleague(2, { email: contact.email?.toUpperCase() });
    const sameMobile = colleague(3, { mobile: '+33 6 12 34 56 78' });
    const errors = assertLeft(
      checkSendPreconditions(
        candidate(withContacts([sameEmail, sameMobile]), {
          contactIds: ['contact-1', 'contact-1', 'contact-2', 'contact-3'],
        }),
      ),
    );
    expect(errors.map((e) => [e.code, e.details?.signer])).toEqual([
      ['SIGNER_DUPLICATE', 2],
      ['SIGNER_DUPLICATE', 3],
      ['SIGNER_DUPLICATE', 4],
    ]);
  });

  it('refuses an unknown countersigner and an empty contact list', () => {
    const codes = assertLeft(
      checkSendPreconditions(candidate(quote, { contactIds: [], countersigner: 'not-found' })),
    ).map((e) => e.code);
    expect(codes).toEqual(['NO_CONTACT', 'COUNTERSIGNER_NOT_FOUND']);
  });

  it(`refuses more than ${MAX_SIGNERS} signers with one typed reason`, () => {
    const others = Array.from({ length: MAX_SIGNERS }, (_, i) => colleague(i + 2));
    const errors = assertLeft(
      checkSendPreconditions(
        candidate(withContacts(others), { contactIds: ['contact-1', ...others.map((c) => c.id)] }),
      ),
    );
    expect(errors.map((e) => e.code)).toEqual(['TOO_MANY_SIGNERS']);
    expect(errors[0]?.details).toMatchObject({ count: MAX_SIGNERS + 1, max: MAX_SIGNERS });
  });

  it('approves any list of distinct reachable contacts up to the limit, in the order asked, and refuses longer ones', () => {
    const others = Array.from({ length: 12 }, (_, i) => colleague(i + 2));
    fc.assert(
      fc.property(fc.shuffledSubarray(['contact-1', ...others.map((c) => c.id)], { minLength: 1 }), (ids) => {
        const result = checkSendPreconditions(candidate(withContacts(others), { contactIds: ids }));
        if (ids.length > MAX_SIGNERS) {
          expect(E.isLeft(result) && result.left.map((e) => e.code)).toEqual(['TOO_MANY_SIGNERS']);
          return;
        }
        const approved = assertRight(result);
        expect(approved.signers.map((s) => s.reference)).toEqual(ids);
      }),
      { numRuns: 200 },
    );
  });
});
