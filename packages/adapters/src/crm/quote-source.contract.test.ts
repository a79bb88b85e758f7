import {
  type CrmError,
  type CrmUser,
  crmError,
  type FollowUpAction,
  type Quote,
  type QuoteSource,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
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

type Flaw =
  | 'none'
  | 'ignores the tenant'
  | 'creates every action asked'
  | 'creates when asked, not when run'
  | 'throws when down'
  | 'calls every failure retryable';

/** A CRM adapter as one might write it over a few maps, with one flaw. */
const handWrittenCrm = (flaw: Flaw) => async (): Promise<FreshQuoteSource> => {
  const quotes = new Map<string, Quote>();
  const users = new Map<string, CrmUser>();
  const actions: FollowUpAction[] = [];
  let refusal: CrmError | undefined;
  /** The planned refusal, once, in place of the answer. */
  const answer =
    <A>(run: () => A): TE.TaskEither<CrmError, A> =>
    async () => {
      const failure = refusal;
      refusal = undefined;
      if (failure === undefined) return E.right(run());
      if (flaw === 'throws when down') throw new Error(failure.reason);
      return E.left(flaw === 'calls every failure retryable' ? { ...failure, retryable: true } : failure);
    };
  const key = (tenantId: string, id: string) => (flaw === 'ignores the tenant' ? id : `${tenantId}/${id}`);
  const create = (action: FollowUpAction) => (): void => {
    if (flaw === 'creates every action asked' || !actions.some((a) => a.id === action.id))
      actions.push(action);
  };
  return {
    quotes: {
      getQuote: (tenantId, quoteId) => answer(() => O.fromNullable(quotes.get(key(tenantId, quoteId)))),
      getUser: (tenantId, userId) => answer(() => O.fromNullable(users.get(key(tenantId, userId)))),
      createFollowUpAction: (action) => {
        if (flaw !== 'creates when asked, not when run') return answer(create(action));
        create(action)();
        return answer(() => undefined);
      },
    },
    putQuote: (quote) => {
      quotes.set(key(quote.tenantId, quote.id), quote);
    },
    putUser: (tenantId, user) => {
      users.set(key(tenantId, user.id), user);
    },
    followUpActions: async () => actions,
    refuseNext: (kind) => {
      refusal = kind === 'permanent' ? crmError(false, 'HTTP_403') : crmError(true, 'TIMEOUT');
    },
    close: async () => undefined,
  };
};

const getQuoteAs =
  (change: (found: O.Option<Quote>) => O.Option<Quote>) =>
  (inner: QuoteSource): QuoteSource => ({
    ...inner,
    getQuote: (tenantId, quoteId) => pipe(inner.getQuote(tenantId, quoteId), TE.map(change)),
  });

const untypedError = (e: CrmError): CrmError =>
  ({ _tag: 'DomainError', code: 'CRM_FAILURE', details: { retryable: e.retryable } }) as unknown as CrmError;

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
    ).toStrictEqual([
      check('answers a CRM unavailable for now'),
      check('answers a refusal for good'),
      check('creates nothing until its task is run'),
    ]);
  });

  it('fails a quote source that throws when the CRM is down instead of answering a CrmError', async () => {
    expect(await failingChecks(quoteSourceContract, handWrittenCrm('throws when down'))).toStrictEqual([
      check('answers a CRM unavailable for now'),
      check('answers a refusal for good'),
    ]);
  });

  it('fails a quote source that calls a refusal for good retryable (it would be asked again and again)', async () => {
    expect(
      await failingChecks(quoteSourceContract, handWrittenCrm('calls every failure retryable')),
    ).toStrictEqual([check('answers a refusal for good')]);
  });

  it('fails a quote source that answers a DomainError or any other value instead of a CrmError', async () => {
    const untyped = (inner: QuoteSource): QuoteSource => ({
      getQuote: (t, q) => pipe(inner.getQuote(t, q), TE.mapLeft(untypedError)),
      getUser: (t, u) => pipe(inner.getUser(t, u), TE.mapLeft(untypedError)),
      createFollowUpAction: (a) => pipe(inner.createFollowUpAction(a), TE.mapLeft(untypedError)),
    });
    expect(await failingChecks(quoteSourceContract, freshInMemoryQuoteSource(untyped))).toStrictEqual([
      check('answers a CRM unavailable for now'),
      check('answers a refusal for good'),
    ]);
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
