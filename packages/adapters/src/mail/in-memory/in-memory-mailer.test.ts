import { deliveryError, type EmailAddress, type OutgoingEmail } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { describeMailerContract } from '../mailer.contract.js';
import { freshInMemoryMailer } from '../test-support/fresh-in-memory-mailer.js';
import { makeInMemoryMailer, permanentMailFailure } from './in-memory-mailer.js';

describeMailerContract('in-memory', freshInMemoryMailer());

describe('in-memory mailer', () => {
  it('fails the next sends with the errors it was given, in order, then sends again', async () => {
    const mailer = makeInMemoryMailer();
    const email = { id: 'e-1', to: 'a@b.example' as EmailAddress } as OutgoingEmail;
    mailer.failNext(deliveryError(true, 'TIMEOUT'), permanentMailFailure());
    expect(await mailer.send(email)()).toStrictEqual(E.left(deliveryError(true, 'TIMEOUT')));
    expect(await mailer.send(email)()).toStrictEqual(E.left(permanentMailFailure()));
    expect(await mailer.send(email)()).toStrictEqual(E.right({ providerMessageId: 'e-1' }));
    expect(mailer.sent).toHaveLength(1);
  });
});
