import type { CrmUser, FollowUpAction, Quote, QuoteSource } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { failingChecks } from '../testing/contract-suite.js';
import { type FreshQuoteSource, quoteSourceContract } from './quote-source.contract.js';
import { freshInMemoryQuoteSource } from './test-support/fresh-in-memory-crm.js';

/** The full name of the one check whose name starts so. */
const check = (start: string): string => {
  const found = quoteSourceContract.filter((c) => c.name.startsWith(start));
  if (found.length !== 1) throw new Error(`${found.length} checks start with "${start}"`);
  return found[0]!.name;
};

type Flaw = 'none' | 'ignores the tenant' | 'creates every action asked' | 'creates when asked, not when run';

/** A CRM adapter as one might write it over a few maps, with one flaw. */
const handWrittenCrm = (flaw: Flaw) => async (): Promise<FreshQuoteSource> => {
  const quotes = new Map<string, Quote>();
  const users = new Map<string, CrmUser>();
  const actions: FollowUpAction[] = [];
  const key = (tenantId: string, id: string) => (flaw === 'ignores the tenant' ? id : `${tenantId}/${id}`);
  const create = (action: FollowUpAction) => () => {
    if (flaw === 'creates every action asked' || !actions.some((a) => a.id === action.id))
      actions.push(action);
  };
  return {
    quotes: {
      getQuote: (tenantId, quoteId) => TE.right(O.fromNullable(quotes.get(key(tenantId, quoteId)))),
      getUser: (tenantId, userId) => TE.right(O.fromNullable(users.get(key(tenantId, userId)))),
      createFollowUpAction: (action) => {
        if (flaw !== 'creates when asked, not when run') return TE.fromIO(create(action));
        create(action)();
        return TE.right(undefined);
      },
    },
    putQuote: (quote) => {
      quotes.set(key(quote.tenantId, quote.id), quote);
    },
    putUser: (tenantId, user) => {
      users.set(key(tenantId, user.id), user);
    },
    followUpActions: async () => actions,
    close: async () => undefined,
  };
};

const getQuoteAs =
  (change: (found: O.Option<Quote>) => O.Option<Quote>) =>
  (inner: QuoteSource): QuoteSource => ({
    ...inner,
    getQuote: (tenantId, quoteId) => pipe(inner.getQuote(tenantId, quoteId), TE.map(change)),
  });

describe('the QuoteSource contract itself', () => {
  it('passes the in-memory CRM and a flawless hand-written one', async () => {
    expect(await failingChecks(quoteSourceContract, freshInMemoryQuoteSource())).toStrictEqual([]);
    expect(await failingChecks(quoteSourceContract, handWrittenCrm('none'))).toStrictEqual([]);
  });

  it('fails a quote source that ignores the tenant', async () => {
    expect(await failingChecks(quoteSourceContract, handWrittenCrm('ignores the tenant'))).toStrictEqual([
      check('keeps tenants apart'),
      check('reads back a user'),
    ]);
  });

  it('fails a quote source that creates an action each time it is asked', async () => {
    expect(
      await failingChecks(quoteSourceContract, handWrittenCrm('creates every action asked')),
    ).toStrictEqual([check('creates an action once')]);
  });

  it('fails a quote source that creates the action when the task is made, not when it is run', async () => {
    expect(
      await failingChecks(quoteSourceContract, handWrittenCrm('creates when asked, not when run')),
    ).toStrictEqual([check('creates nothing until its task is run')]);
  });

  it('fails a quote source that reads the PDF as text', async () => {
    const asText = getQuoteAs(
      O.map((q) =>
        q.document === undefined
          ? q
          : {
              ...q,
              document: {
                ...q.document,
                bytes: new TextEncoder().encode(new TextDecoder().decode(q.document.bytes)),
              },
            },
      ),
    );
    expect(await failingChecks(quoteSourceContract, freshInMemoryQuoteSource(asText))).toStrictEqual([
      check('reads back a quote with its contact'),
      check('keeps tenants apart'),
    ]);
  });

  it('fails a quote source that answers an unknown quote with an empty one', async () => {
    const inventing = (inner: QuoteSource): QuoteSource => ({
      ...inner,
      getQuote: (tenantId, quoteId) =>
        pipe(
          inner.getQuote(tenantId, quoteId),
          TE.map(O.alt(() => O.some<Quote>({ id: quoteId, tenantId, number: '', ownerId: '' }))),
        ),
    });
    expect(await failingChecks(quoteSourceContract, freshInMemoryQuoteSource(inventing))).toStrictEqual([
      check('reads an unknown quote'),
      check('keeps tenants apart'),
    ]);
  });
});
