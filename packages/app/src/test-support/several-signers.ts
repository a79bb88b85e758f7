import type { Contact, SendSigners, SignatureProcedure } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { type Harness, TENANT } from './harness.js';
import { readyHarness } from './story.js';

/** The quotes' second contact (the first is the harness's `completeContact`, id `c-1`). */
export const secondContact: Contact = {
  id: 'c-2',
  firstName: 'Paul',
  lastName: 'Durand',
  email: 'paul.durand@example.fr',
  mobile: '06 98 76 54 32',
};

/** A user of the tenant who can countersign: an email and a mobile. */
export const countersigner = {
  id: 'dan',
  name: 'Dan Morel',
  email: 'dan@acme.example',
  mobile: '06 55 44 33 22',
} as const;

/** The quote's two contacts in order, then `dan` countersigning. */
export const THREE_SIGNERS: SendSigners = { contactIds: ['c-1', 'c-2'], countersignerId: 'dan' };

/** `readyHarness` whose quotes q1…q3 have a second contact, with `dan`, a user who can countersign. */
export const severalSignersHarness = async (
  options: Parameters<typeof readyHarness>[0] = {},
): Promise<Harness> => {
  const h = await readyHarness(options);
  for (let i = 1; i <= (options.quotes ?? 3); i++)
    await h.putQuote(`q${i}`, { otherContacts: [secondContact] });
  h.crm.putUser(TENANT, countersigner);
  return h;
};

/** The procedure as stored, with every signer's own state. */
export const stored = async (h: Harness, id: string): Promise<SignatureProcedure> => {
  const found = await h.storage.unitOfWork((session) => session.procedures.get(id))();
  if (E.isLeft(found) || O.isNone(found.right)) throw new Error(`procedure ${id} not stored`);
  return found.right.value;
};
