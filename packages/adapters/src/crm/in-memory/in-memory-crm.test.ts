import { crmError, crmUnreadableAnswer, deliveryError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { describe, expect, it } from 'vitest';
import { describeLifecycleNotifierContract } from '../../webhook/lifecycle-notifier.contract.js';
import { describeQuoteSourceContract } from '../quote-source.contract.js';
import { freshInMemoryNotifier, freshInMemoryQuoteSource } from '../test-support/fresh-in-memory-crm.js';
import { makeInMemoryCrm } from './in-memory-crm.js';

describeQuoteSourceContract('in-memory CRM', freshInMemoryQuoteSource());
describeLifecycleNotifierContract('in-memory CRM', freshInMemoryNotifier());

describe('in-memory CRM', () => {
  it('fails the next calls with the failures it was given, in order, each in the port’s own error type, then answers again', async () => {
    const crm = makeInMemoryCrm();
    crm.failNext(crmError(true, 'HTTP_503'), crmUnreadableAnswer(), deliveryError(false, 'HTTP_410', 'x'));
    expect(await crm.getQuote('t', 'q')()).toStrictEqual(E.left(crmError(true, 'HTTP_503')));
    expect(await crm.getUser('t', 'u')()).toStrictEqual(E.left(crmUnreadableAnswer()));
    expect(
      await crm.notify({
        id: 'n',
        tenantId: 't',
        procedureId: 'p',
        quoteId: 'q',
        type: 'signed',
        status: 'signed',
        at: new Date(0),
      })(),
    ).toStrictEqual(E.left(deliveryError(false, 'HTTP_410', 'x')));
    expect(crm.notifications).toHaveLength(0);
    expect(await crm.getQuote('t', 'q')()).toStrictEqual(E.right(O.none));
  });
});
