import { deliveryError, type OutgoingSms } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { describeSmsSenderContract } from '../sms-sender.contract.js';
import { freshInMemorySmsSender } from '../test-support/fresh-in-memory-sms-sender.js';
import { makeInMemorySmsSender } from './in-memory-sms-sender.js';

describeSmsSenderContract('in-memory', freshInMemorySmsSender());

describe('in-memory SMS sender', () => {
  it('fails the next sends with the errors it was given, in order, then sends again', async () => {
    const sender = makeInMemorySmsSender();
    const sms = { id: 's-1', text: 'Code 123456' } as OutgoingSms;
    sender.failNext(deliveryError(true, 'TIMEOUT'), deliveryError(false, 'INVALID_NUMBER'));
    expect(await sender.send(sms)()).toStrictEqual(E.left(deliveryError(true, 'TIMEOUT')));
    expect(await sender.send(sms)()).toStrictEqual(E.left(deliveryError(false, 'INVALID_NUMBER')));
    expect(await sender.send(sms)()).toStrictEqual(E.right({ providerMessageId: 's-1' }));
    expect(sender.sent).toStrictEqual([sms]);
  });
});
