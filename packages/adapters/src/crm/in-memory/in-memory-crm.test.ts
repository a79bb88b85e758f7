import { domainError } from '@paraphe/domain';
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
  it('fails the next calls with the errors it was given, in order, whichever they are, then answers again', async () => {
    const crm = makeInMemoryCrm();
    crm.failNext(domainError('CRM_FAILURE'), domainError('CRM_INVALID_DATA', { field: 'id' }));
    expect(await crm.getQuote('t', 'q')()).toStrictEqual(E.left(domainError('CRM_FAILURE')));
    expect(await crm.getUser('t', 'u')()).toStrictEqual(
      E.left(domainError('CRM_INVALID_DATA', { field: 'id' })),
    );
    expect(await crm.getQuote('t', 'q')()).toStrictEqual(E.right(O.none));
  });
});
