import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeJson, SendBody, signersQuery } from './api-codecs.js';

const send = { quoteId: 'q1', subject: 'Devis', body: 'Bonjour' };
const none = { contactIds: [], countersignerId: [], order: [] };

describe('the signers of a send, in the API', () => {
  it('are optional, and passed on as given', () => {
    expect(decodeJson(SendBody)(JSON.stringify(send))).toEqual(E.right(send));
    const signers = { contactIds: ['c2', 'c1'], countersignerId: 'u7', order: 'parallel' };
    expect(decodeJson(SendBody)(JSON.stringify({ ...send, signers }))).toEqual(E.right({ ...send, signers }));
  });

  it.each([
    ['an unknown field (a misspelt countersigner)', { countersigner: 'u7' }, 'signers.countersigner'],
    ['an unknown order', { order: 'random' }, 'signers.order'],
    ['a blank contact id', { contactIds: [' '] }, 'signers.contactIds'],
    ['contact ids that are not a list', { contactIds: 'c1' }, 'signers.contactIds'],
  ])('refuse %s, naming the field', (_, signers, field) => {
    const decoded = decodeJson(SendBody)(JSON.stringify({ ...send, signers }));
    expect(E.isLeft(decoded) && decoded.left).toContain(field);
  });

  it('are read from the check query the same way; none given is the quote’s contact alone', () => {
    expect(signersQuery(none)).toEqual(E.right(undefined));
    expect(
      signersQuery({ contactIds: ['c1', 'c2'], countersignerId: ['u7'], order: ['sequential'] }),
    ).toEqual(E.right({ contactIds: ['c1', 'c2'], countersignerId: 'u7', order: 'sequential' }));
    expect(signersQuery({ ...none, order: ['random'] })).toEqual(E.left(['order']));
    expect(signersQuery({ ...none, countersignerId: ['u1', 'u2'] })).toEqual(E.left(['countersignerId']));
  });
});
