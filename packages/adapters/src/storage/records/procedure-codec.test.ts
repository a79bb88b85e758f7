import { MAX_SIGNERS } from '@paraphe/domain';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { event, flatBody, hex } from '../test-support/flat-procedure-body.js';
import { allInvited, signedBy } from '../test-support/procedure-fixtures.js';
import { ProcedureBodyCodec, procedureBody } from './procedure-codec.js';

const decoded = (body: unknown) => {
  const result = ProcedureBodyCodec.decode(body);
  if (E.isLeft(result)) throw new Error('expected the body to read');
  return result.right;
};
const isUnreadable = (body: unknown) => E.isLeft(ProcedureBodyCodec.decode(body));

describe('procedures stored by the one-signer version', () => {
  it('read as one signer, the quote contact, in sequence, with their link, code state and reminders', () => {
    const p = decoded(flatBody());
    expect(p).toMatchObject({
      id: 'p-old',
      status: 'verified',
      credit: 'reserved',
      signingOrder: 'sequential',
      idempotencyKey: 'key-old',
      version: 5,
    });
    expect('invitation' in p).toBe(false);
    expect(p.signers).toStrictEqual([
      {
        position: 0,
        role: 'contact',
        // The contact id was never stored: '' rather than a guess.
        reference: '',
        identity: { name: 'Ada Lovelace', email: 'ada@example.com', mobile: '+33612345678' },
        tokenHash: hex('b'),
        sealedToken: 'sealed-old',
        sms: {
          codes: [
            {
              hash: hex('c'),
              issuedAt: new Date('2025-03-03T09:03:00.000Z'),
              expiresAt: new Date('2025-03-03T09:08:00.000Z'),
              wrongAttempts: 0,
              status: 'used',
            },
          ],
          verifiedAt: new Date('2025-03-03T09:05:00.000Z'),
        },
        remindersSent: 1,
        status: 'verified',
      },
    ]);
    // None of the flat fields is left at the top.
    for (const gone of ['signer', 'tokenHash', 'sealedToken', 'sms', 'remindersSent', 'consentText'])
      expect(gone in p).toBe(false);
    // Written again, it is in the new shape and reads back the same.
    const body = procedureBody(p);
    expect(E.isRight(body) && decoded(JSON.parse(body.right))).toStrictEqual(p);
  });

  it('a signed one: the signature facts move to the signer, the procedure keeps its own', () => {
    const p = decoded(
      flatBody({
        status: 'signed',
        credit: 'captured',
        signedAt: '2025-03-03T09:06:00.000Z',
        signedSha256: hex('d'),
        consentText: "J'accepte",
        endedAt: '2025-03-03T09:06:00.000Z',
      }),
    );
    expect(p).toMatchObject({
      status: 'signed',
      credit: 'captured',
      signedAt: new Date('2025-03-03T09:06:00.000Z'),
      signedSha256: hex('d'),
      endedAt: new Date('2025-03-03T09:06:00.000Z'),
    });
    expect(p.signers[0]).toMatchObject({
      status: 'signed',
      signedAt: new Date('2025-03-03T09:06:00.000Z'),
      signedSha256: hex('d'),
      consentText: "J'accepte",
    });
  });

  it('a declined one: the signer declined when it ended, with its reason', () => {
    const p = decoded(
      flatBody({
        status: 'declined',
        credit: 'released',
        endedAt: '2025-03-04T10:00:00.000Z',
        declineReason: 'Trop cher',
      }),
    );
    expect(p).toMatchObject({ status: 'declined', credit: 'released', declineReason: 'Trop cher' });
    expect(p.signers[0]).toMatchObject({
      status: 'declined',
      declinedAt: new Date('2025-03-04T10:00:00.000Z'),
      declineReason: 'Trop cher',
    });
  });

  it('one that ended otherwise: the signer stands where the events last put them', () => {
    const ended = (status: string, events: ReadonlyArray<unknown>) =>
      decoded(flatBody({ status, credit: 'released', endedAt: '2025-03-18T09:00:00.000Z', events }))
        .signers[0]?.status;
    const [created, sent, opened, codeSent, verified] = flatBody().events;
    const expired = event(5, 'expired', '2025-03-18T09:00:00.000Z');
    expect(ended('expired', [created, sent, opened, codeSent, expired])).toBe('opened');
    expect(ended('expired', [created, sent, opened, codeSent, verified, expired])).toBe('verified');
    expect(ended('cancelled', [created, sent])).toBe('sent');
    expect(ended('failed', [created, event(1, 'invitation_failed', '2025-03-03T09:01:00.000Z')])).toBe(
      'pending',
    );
    expect(ended('cancelled', [])).toBe('sent');
  });

  it('stays unreadable when its status, credit and dates disagree, or a field is broken', () => {
    expect(isUnreadable(flatBody({ status: 'signed' }))).toBe(true);
    expect(
      isUnreadable(
        flatBody({
          status: 'signed',
          credit: 'captured',
          endedAt: '2025-03-03T09:06:00.000Z',
          signedSha256: hex('d'),
        }),
      ),
    ).toBe(true);
    expect(isUnreadable(flatBody({ status: 'expired' }))).toBe(true);
    expect(isUnreadable(flatBody({ tokenHash: 'not a hash' }))).toBe(true);
    expect(isUnreadable(flatBody({ signer: undefined }))).toBe(true);
  });
});

describe('procedures of this version', () => {
  const body = (p: unknown) => JSON.parse(JSON.stringify(p)) as Record<string, unknown>;
  const three = body(signedBy({ id: 'p-3', signers: 3 }, 1));

  it('read back as written, signer by signer', () => {
    expect(decoded(three)).toStrictEqual(signedBy({ id: 'p-3', signers: 3 }, 1));
    const parallel = allInvited({ id: 'p-par', signers: 4, signingOrder: 'parallel' });
    expect(decoded(body(parallel))).toStrictEqual(parallel);
  });

  it('are unreadable with a status the credit contradicts, or a signer list out of order, empty or too long', () => {
    const signers = three.signers as ReadonlyArray<Record<string, unknown>>;
    expect(isUnreadable({ ...three, status: 'signed' })).toBe(true);
    expect(isUnreadable({ ...three, credit: 'captured' })).toBe(true);
    expect(isUnreadable({ ...three, signers: [] })).toBe(true);
    expect(isUnreadable({ ...three, signers: [signers[1], signers[0], signers[2]] })).toBe(true);
    expect(isUnreadable({ ...three, signers: signers.slice(1) })).toBe(true);
    const eleven = Array.from({ length: 11 }, (_, position) => ({ ...signers[2], position }));
    expect(isUnreadable({ ...three, signers: eleven })).toBe(true);
    expect(isUnreadable({ ...three, signers: eleven.slice(0, 10) })).toBe(false);
    // A signer signed without the facts of their signature.
    expect(
      isUnreadable({
        ...three,
        signers: [{ ...signers[0], consentText: undefined }, signers[1], signers[2]],
      }),
    ).toBe(true);
    // A body in the new shape is held to it: no falling back to the flat reading.
    expect(isUnreadable({ ...flatBody(), signers: [] })).toBe(true);
  });
});

describe('any procedure of 1 to 10 signers', () => {
  it('is storable, and its body reads back equal, however far its signers got', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: MAX_SIGNERS })
          .chain((count) =>
            fc.tuple(
              fc.constant(count),
              fc.integer({ min: 0, max: count }),
              fc.constantFrom('sequential', 'parallel'),
            ),
          ),
        ([count, signed, order]) => {
          const p =
            order === 'parallel'
              ? allInvited({ id: 'p-any', signers: count, signingOrder: 'parallel' })
              : signedBy({ id: 'p-any', signers: count }, signed);
          const body = procedureBody(p);
          expect(E.isRight(body)).toBe(true);
          if (E.isRight(body)) expect(decoded(JSON.parse(body.right))).toStrictEqual(p);
        },
      ),
      { numRuns: 60 },
    );
  });
});
