import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeInMemoryStorage } from '@paraphe/adapters';
import { makeSqliteStorage } from '@paraphe/adapters/sqlite';
import { crmError, domainError, MAX_USER_AGENT_LENGTH, type Storage } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { afterAll, describe, expect, it } from 'vitest';
import { type Harness, right, seller } from './test-support/harness.js';
import { expectRefusedUnchanged } from './test-support/observe.js';
import { readyHarness, scopeOf, sendInput } from './test-support/story.js';

const directory = mkdtempSync(join(tmpdir(), 'paraphe-inputs-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const storages: ReadonlyArray<readonly [string, () => Storage]> = [
  ['in memory', () => makeInMemoryStorage()],
  ['on SQLite', () => makeSqliteStorage({ filename: join(directory, `${Math.random()}.db`) })],
];
const scope = scopeOf('q1', 'q2');

/** Every procedure of the scope read back through the store, and the periodic jobs still running. */
const expectStorageHealthy = async (h: Harness) => {
  for (const quoteId of ['q1', 'q2']) await right(h.paraphe.sender.listProcedures(seller, quoteId));
  expect(E.isRight(await h.paraphe.system.runPeriodicJobs()())).toBe(true);
};

describe.each(storages)('bad input at the facade (%s)', (_, makeStorage) => {
  const sent = async () => {
    const h = await readyHarness({ storage: makeStorage() });
    const view = await right(h.paraphe.sender.send(seller, sendInput('q1')));
    return { h, id: view.id, token: h.tokenFor(view.id) };
  };

  it('a request context whose ip is not one address is refused, naming it, and nothing is stored', async () => {
    const { h, token } = await sent();
    for (const ip of [{}, ['1.2.3.4', '5.6.7.8'], '1.2.3.4, 5.6.7.8', 'localhost', 42, ''])
      for (const call of [h.paraphe.signer.open, h.paraphe.signer.requestCode])
        expect(
          await expectRefusedUnchanged(h, scope, 'INVALID_INPUT', call(token, { ip } as never)),
        ).toMatchObject({
          details: { fields: 'context.ip' },
        });
    for (const context of ['1.2.3.4', [], { ip: '1.2.3.4', referer: 'x' }, { userAgent: 7 }])
      await expectRefusedUnchanged(h, scope, 'INVALID_INPUT', h.paraphe.signer.open(token, context as never));
    await right(h.paraphe.signer.open(token, { ip: '2001:db8::1' }));
    await expectStorageHealthy(h);
    await h.paraphe.close();
  });

  it('a user agent longer than the limit is cut, and stored', async () => {
    const { h, id, token } = await sent();
    await right(h.paraphe.signer.open(token, { ip: '203.0.113.9', userAgent: 'Mozilla/5.0 '.repeat(1000) }));
    const opened = (await right(h.paraphe.sender.getProcedure(seller, id))).timeline.find(
      (e) => e.type === 'opened',
    );
    expect(opened?.userAgent).toHaveLength(MAX_USER_AGENT_LENGTH);
    expect(opened?.ip).toBe('203.0.113.9');
    await expectStorageHealthy(h);
    await h.paraphe.close();
  });

  it('a decline reason that is not a string is refused, not dropped', async () => {
    const { h, token } = await sent();
    for (const reason of [{}, 42, ['trop cher'], 'x'.repeat(2001)])
      await expectRefusedUnchanged(
        h,
        scope,
        'INVALID_INPUT',
        h.paraphe.signer.decline(token, reason as never),
      );
    expect((await right(h.paraphe.signer.decline(token, ' Trop cher '))).status).toBe('declined');
    expect(h.crm.notifications.at(-1)).toMatchObject({ status: 'declined', reason: 'Trop cher' });
    await h.paraphe.close();
  });

  it('a cancel reason goes on the timeline; one that is not a bounded string is refused', async () => {
    const { h, id } = await sent();
    for (const reason of [{}, 42, 'x'.repeat(2001)])
      await expectRefusedUnchanged(
        h,
        scope,
        'INVALID_INPUT',
        h.paraphe.sender.cancel(seller, id, reason as never),
      );
    const cancelled = await right(h.paraphe.sender.cancel(seller, id, 'Mauvais montant'));
    expect(h.crm.notifications.at(-1)).toMatchObject({ status: 'cancelled', reason: 'Mauvais montant' });
    expect(cancelled.timeline.at(-1)).toMatchObject({
      type: 'cancelled',
      data: { by: 'bob', reason: 'Mauvais montant' },
    });
    await h.paraphe.close();
  });

  it('a send with a body past the limit, an unknown field or a misspelt idempotency key is refused', async () => {
    const h = await readyHarness({ storage: makeStorage() });
    const refusals: ReadonlyArray<readonly [unknown, string]> = [
      [{ ...sendInput('q1'), body: 'x'.repeat(10_000_000) }, 'body'],
      [{ ...sendInput('q1'), idempotencykey: 'k-1' }, 'idempotencykey'],
      [{ ...sendInput('q1'), body: 42 }, 'body'],
    ];
    for (const [input, field] of refusals)
      expect(
        await expectRefusedUnchanged(
          h,
          scope,
          'INVALID_INPUT',
          h.paraphe.sender.send(seller, input as never),
        ),
      ).toMatchObject({ details: { fields: field } });
    await h.paraphe.close();
  });

  it('a list filter, a quote id or a procedure id that is not an id is refused on every store', async () => {
    const h = await readyHarness({ storage: makeStorage() });
    for (const id of [{}, [], 42, '', 'x'.repeat(201)]) {
      await expectRefusedUnchanged(
        h,
        scope,
        'INVALID_INPUT',
        h.paraphe.sender.listProcedures(seller, id as never),
      );
      await expectRefusedUnchanged(
        h,
        scope,
        'INVALID_INPUT',
        h.paraphe.sender.checkSend(seller, id as never),
      );
      await expectRefusedUnchanged(
        h,
        scope,
        'INVALID_INPUT',
        h.paraphe.sender.getProcedure(seller, id as never),
      );
    }
    await h.paraphe.close();
  });
});

describe("the CRM's answers are decoded", () => {
  const withCrm = (answer: (quote: unknown) => unknown) =>
    readyHarness({
      quoteSource: (crm) => ({
        ...crm,
        getQuote: (tenantId, quoteId) => () =>
          crm
            .getQuote(tenantId, quoteId)()
            .then((found) =>
              E.isRight(found) && O.isSome(found.right) ? (answer(found.right.value) as never) : found,
            ),
      }),
    });

  const refusals: ReadonlyArray<readonly [string, (quote: Record<string, unknown>) => unknown, string]> = [
    [
      'document bytes given as a string',
      (q) => E.right(O.some({ ...q, document: { fileName: 'q1.pdf', bytes: 'JVBERi0xLjcK' } })),
      'document.bytes',
    ],
    [
      'a numeric email',
      (q) => E.right(O.some({ ...q, contact: { ...(q.contact as object), email: 33612345678 } })),
      'contact.email',
    ],
    ['another tenant’s quote', (q) => E.right(O.some({ ...q, tenantId: 'globex' })), 'tenantId'],
    ['a quote that is not an object', () => E.right(O.some('q1')), ''],
    ['an answer that is not an Option', (q) => E.right(q), 'getQuote'],
    ['an answer that is not an Either', (q) => q, 'getQuote'],
  ];

  it.each(refusals)(
    '%s is CRM_INVALID_DATA naming the field, on send and on checkSend',
    async (_, answer, field) => {
      const h = await withCrm((q) => answer(q as Record<string, unknown>));
      for (const call of [
        h.paraphe.sender.send(seller, sendInput('q1')),
        h.paraphe.sender.checkSend(seller, 'q1'),
      ]) {
        const error = await expectRefusedUnchanged(h, scope, 'CRM_INVALID_DATA', call);
        if (field !== '') expect(String(error.details?.field)).toContain(field);
      }
    },
  );

  it('a CRM that throws or rejects is CRM_FAILURE, never a rejected promise', async () => {
    for (const broken of [
      () => {
        throw new Error('CRM down');
      },
      () => () => Promise.reject(new Error('CRM down')),
      () => () => Promise.resolve(E.left({ message: 'not one of ours' })),
    ]) {
      const h = await readyHarness({ quoteSource: (crm) => ({ ...crm, getQuote: broken as never }) });
      await expectRefusedUnchanged(h, scope, 'CRM_FAILURE', h.paraphe.sender.send(seller, sendInput('q1')));
    }
  });

  it('a CrmError is CRM_FAILURE naming the call, with its reason and whether it may pass', async () => {
    for (const failure of [crmError(true, 'HTTP_503'), crmError(false, 'HTTP_403')]) {
      const h = await readyHarness({ quoteSource: (crm) => ({ ...crm, getQuote: () => TE.left(failure) }) });
      const error = await expectRefusedUnchanged(
        h,
        scope,
        'CRM_FAILURE',
        h.paraphe.sender.send(seller, sendInput('q1')),
      );
      expect(error.details).toStrictEqual({
        call: 'getQuote',
        reason: failure.reason,
        retryable: failure.retryable,
      });
    }
  });

  it('a CRM error of ours (an adapter written before the port had its own error) is passed on as it is', async () => {
    const h = await readyHarness({
      quoteSource: (crm) => ({
        ...crm,
        getQuote: () => TE.left(domainError('CRM_FAILURE', { status: 503 })) as never,
      }),
    });
    const error = await expectRefusedUnchanged(
      h,
      scope,
      'CRM_FAILURE',
      h.paraphe.sender.send(seller, sendInput('q1')),
    );
    expect(error.details).toEqual({ status: 503 });
  });
});
