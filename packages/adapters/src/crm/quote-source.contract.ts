import {
  type CrmError,
  type CrmUser,
  type FollowUpAction,
  isCrmError,
  type Quote,
  type QuoteSource,
  type TenantId,
} from '@paraphe/domain';
import type * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { expect } from 'vitest';
import {
  assertLeft,
  assertRight,
  type ContractCheck,
  type ContractFixture,
  describeContract,
  expectNothingUntilRun,
} from '../testing/contract-suite.js';

/** A quote source, fresh and empty, and a way for a test to fill the CRM behind it and read what it created. */
export interface FreshQuoteSource extends ContractFixture {
  readonly quotes: QuoteSource;
  /** Puts a quote in the CRM, in the tenant `quote.tenantId`. */
  readonly putQuote: (quote: Quote) => void | Promise<void>;
  readonly putUser: (tenantId: TenantId, user: CrmUser) => void | Promise<void>;
  /** The follow-up actions the CRM holds, oldest first. */
  readonly followUpActions: () => Promise<ReadonlyArray<FollowUpAction>>;
  /**
   * The CRM turns the next call down, whichever it is: `unavailable` for now (unreachable, a timeout, an HTTP 5xx),
   * `permanent` for good (an HTTP 4xx such as 403 or 404 on the API itself).
   */
  readonly refuseNext: (refusal: 'unavailable' | 'permanent') => void | Promise<void>;
}

// Every byte value, so a source that reads the PDF as text is caught.
const pdfBytes = Uint8Array.from({ length: 512 }, (_, i) => i % 256);

const quote = (over: Partial<Quote> = {}): Quote => ({
  id: 'q-42',
  tenantId: 'tenant-a',
  number: 'D-2025-042',
  ownerId: 'u-paul',
  opportunityId: 'opp-7',
  contact: {
    id: 'c-1',
    firstName: 'Zoë',
    lastName: 'Müller-Lefèvre 李',
    email: 'zoe@client.example',
    mobile: '+33612345678',
  },
  document: { fileName: 'Devis D-2025-042 (révisé).pdf', bytes: pdfBytes },
  ...over,
});

const bare = (over: Partial<Quote> = {}): Quote => {
  const { contact: _contact, document: _document, opportunityId: _opportunity, ...rest } = quote(over);
  return rest;
};

const paul: CrmUser = { id: 'u-paul', name: 'Paul Dupont-Éluard', email: 'paul@vendor.example' };

const action = (over: Partial<FollowUpAction> = {}): FollowUpAction => ({
  id: 'sp_0f1e2d3c.follow-up',
  tenantId: 'tenant-a',
  quoteId: 'q-42',
  procedureId: 'sp_0f1e2d3c',
  assigneeId: 'u-paul',
  title: 'Appeler Zoë : devis signé',
  dueAt: new Date('2025-06-02T09:00:00.000Z'),
  ...over,
});

/** The port's own error, its reason a stable code, nothing of the call's data in it. */
const expectCrmError = (error: unknown, retryable: boolean): void => {
  expect(isCrmError(error)).toBe(true);
  const { reason, retryable: said } = error as CrmError;
  expect(said).toBe(retryable);
  expect(reason).toMatch(/^[A-Z][A-Z0-9_]*$/);
  expect(JSON.stringify(error)).not.toContain('Zoë');
};

/** Each call of the port, made once the CRM was told to turn the next one down; every one must fail so. */
const eachCall = (quotes: QuoteSource): ReadonlyArray<() => Promise<E.Either<CrmError, unknown>>> => [
  () => quotes.getQuote('tenant-a', 'q-42')(),
  () => quotes.getUser('tenant-a', 'u-paul')(),
  () => quotes.createFollowUpAction(action())(),
];

/** The quote read, its PDF as plain bytes: a Buffer or any other Uint8Array is as good. */
const readQuote = async (source: QuoteSource, tenantId: string, quoteId: string) => {
  const found = assertRight(await source.getQuote(tenantId, quoteId)());
  if (O.isNone(found)) return found;
  const { document, ...rest } = found.value;
  expect(document === undefined || document.bytes instanceof Uint8Array).toBe(true);
  return O.some(
    document === undefined ? rest : { ...rest, document: { ...document, bytes: [...document.bytes] } },
  );
};

const expected = ({ document, ...rest }: Quote) =>
  O.some(document === undefined ? rest : { ...rest, document: { ...document, bytes: [...document.bytes] } });

export const quoteSourceContract: ReadonlyArray<ContractCheck<FreshQuoteSource>> = [
  {
    name: 'reads an unknown quote and an unknown user as None',
    check: async ({ quotes, putQuote, putUser }) => {
      expect(assertRight(await quotes.getQuote('tenant-a', 'q-42')())).toStrictEqual(O.none);
      expect(assertRight(await quotes.getUser('tenant-a', 'u-paul')())).toStrictEqual(O.none);
      await putQuote(quote());
      await putUser('tenant-a', paul);
      expect(assertRight(await quotes.getQuote('tenant-a', 'q-43')())).toStrictEqual(O.none);
      expect(assertRight(await quotes.getUser('tenant-a', 'u-anne')())).toStrictEqual(O.none);
    },
  },
  {
    name: 'reads back a quote with its contact, opportunity and PDF, every byte and accent as put',
    check: async ({ quotes, putQuote }) => {
      await putQuote(quote());
      expect(await readQuote(quotes, 'tenant-a', 'q-42')).toEqual(expected(quote()));
    },
  },
  {
    name: 'reads back a quote with no contact, document nor opportunity without inventing them',
    check: async ({ quotes, putQuote }) => {
      await putQuote(bare());
      expect(await readQuote(quotes, 'tenant-a', 'q-42')).toEqual(expected(bare()));
    },
  },
  {
    name: 'keeps tenants apart: one quote id in two tenants is two quotes, and no tenant reads another one',
    check: async ({ quotes, putQuote }) => {
      await putQuote(quote());
      await putQuote(bare({ tenantId: 'tenant-b', number: 'B-0001', ownerId: 'u-bea' }));
      await putQuote(bare({ id: 'q-only-a' }));
      expect(await readQuote(quotes, 'tenant-a', 'q-42')).toEqual(expected(quote()));
      expect(await readQuote(quotes, 'tenant-b', 'q-42')).toEqual(
        expected(bare({ tenantId: 'tenant-b', number: 'B-0001', ownerId: 'u-bea' })),
      );
      expect(await readQuote(quotes, 'tenant-b', 'q-only-a')).toStrictEqual(O.none);
    },
  },
  {
    name: 'reads back a user with or without email, in its tenant only',
    check: async ({ quotes, putUser }) => {
      const anne: CrmUser = { id: 'u-anne', name: 'Anne Ó Súilleabháin' };
      await putUser('tenant-a', paul);
      await putUser('tenant-a', anne);
      await putUser('tenant-b', { id: 'u-paul', name: 'Paul of tenant B' });
      expect(assertRight(await quotes.getUser('tenant-a', 'u-paul')())).toEqual(O.some(paul));
      expect(assertRight(await quotes.getUser('tenant-a', 'u-anne')())).toEqual(O.some(anne));
      expect(assertRight(await quotes.getUser('tenant-b', 'u-paul')())).toEqual(
        O.some({ id: 'u-paul', name: 'Paul of tenant B' }),
      );
      expect(assertRight(await quotes.getUser('tenant-b', 'u-anne')())).toStrictEqual(O.none);
    },
  },
  {
    name: 'creates a follow-up action with every field as given',
    check: async ({ quotes, followUpActions }) => {
      assertRight(await quotes.createFollowUpAction(action())());
      expect(await followUpActions()).toEqual([action()]);
    },
  },
  {
    name: 'creates an action once when asked twice with its id, one after the other or at once',
    check: async ({ quotes, followUpActions }) => {
      assertRight(await quotes.createFollowUpAction(action())());
      assertRight(await quotes.createFollowUpAction(action())());
      const twin = action({ id: 'sp_77.follow-up', procedureId: 'sp_77' });
      const both = await Promise.all([
        quotes.createFollowUpAction(twin)(),
        quotes.createFollowUpAction(twin)(),
      ]);
      both.forEach(assertRight);
      expect(await followUpActions()).toEqual([action(), twin]);
    },
  },
  {
    name: 'answers a CRM unavailable for now with a retryable CrmError on every call, never Right; then answers again',
    check: async ({ quotes, putQuote, refuseNext, followUpActions }) => {
      await putQuote(quote());
      for (const call of eachCall(quotes)) {
        await refuseNext('unavailable');
        expectCrmError(assertLeft(await call()), true);
      }
      expect(await followUpActions()).toEqual([]);
      expect(O.isSome(assertRight(await quotes.getQuote('tenant-a', 'q-42')()))).toBe(true);
    },
  },
  {
    name: 'answers a refusal for good with a CrmError that is not retryable, on every call',
    check: async ({ quotes, putQuote, refuseNext, followUpActions }) => {
      await putQuote(quote());
      for (const call of eachCall(quotes)) {
        await refuseNext('permanent');
        expectCrmError(assertLeft(await call()), false);
      }
      expect(await followUpActions()).toEqual([]);
      assertRight(await quotes.createFollowUpAction(action())());
      expect(await followUpActions()).toEqual([action()]);
    },
  },
  {
    name: 'creates nothing until its task is run',
    check: ({ quotes, followUpActions }) =>
      expectNothingUntilRun(quotes.createFollowUpAction(action()), followUpActions),
  },
];

/**
 * The behaviour every `QuoteSource` shares: what the CRM holds, read per tenant; follow-up actions created once.
 * A CRM's own adapter runs it with a factory of an empty CRM (a test database) and a way to fill it.
 */
export const describeQuoteSourceContract = (name: string, makeFresh: () => Promise<FreshQuoteSource>): void =>
  describeContract(`QuoteSource contract: ${name}`, quoteSourceContract, makeFresh);
