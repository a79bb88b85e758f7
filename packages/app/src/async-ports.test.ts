import { crmError, deliveryError, type FollowUpAction, type LifecycleNotification } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { describe, expect, it } from 'vitest';
import { fromAsyncNotifier, fromAsyncQuoteSource } from './async-ports.js';
import { crmFailureToDomain } from './support/crm-errors.js';

const action: FollowUpAction = {
  id: 'sp_1.follow-up',
  tenantId: 'acme',
  quoteId: 'q1',
  procedureId: 'sp_1',
  assigneeId: 'bob',
  title: 'Call back',
  dueAt: new Date('2026-03-03T09:00:00Z'),
};

const notification: LifecycleNotification = {
  id: 'sp_1.signed',
  tenantId: 'acme',
  procedureId: 'sp_1',
  quoteId: 'q1',
  type: 'signed',
  status: 'signed',
  at: new Date('2026-03-03T09:00:00Z'),
};

const down = async (): Promise<never> => {
  throw new Error('CRM down: contact claire.martin@example.fr');
};

describe('a CRM written with plain async functions, as the port sees it', () => {
  it('null is None, a value is Some, a resolved createFollowUpAction is Right', async () => {
    const quotes = fromAsyncQuoteSource({
      getQuote: async (_, id) => (id === 'q1' ? ({ id: 'q1' } as never) : null),
      getUser: async () => null,
      createFollowUpAction: async () => undefined,
    });
    expect(await quotes.getQuote('acme', 'q1')()).toStrictEqual(E.right(O.some({ id: 'q1' })));
    expect(await quotes.getQuote('acme', 'q2')()).toStrictEqual(E.right(O.none));
    expect(await quotes.getUser('acme', 'bob')()).toStrictEqual(E.right(O.none));
    expect(await quotes.createFollowUpAction(action)()).toStrictEqual(E.right(undefined));
  });

  it('a throw or a rejection is a retryable CrmError (THREW), its message not kept; the facade says CRM_FAILURE', async () => {
    const quotes = fromAsyncQuoteSource({ getQuote: down, getUser: down, createFollowUpAction: down });
    for (const [call, result] of [
      ['getQuote', await quotes.getQuote('acme', 'q1')()],
      ['getUser', await quotes.getUser('acme', 'bob')()],
      ['createFollowUpAction', await quotes.createFollowUpAction(action)()],
    ] as const) {
      expect(result).toStrictEqual(E.left(crmError(true, 'THREW')));
      expect(JSON.stringify(result)).not.toContain('claire');
      if (E.isLeft(result))
        expect(crmFailureToDomain(call)(result.left)).toMatchObject({
          code: 'CRM_FAILURE',
          details: { call, reason: 'THREW', retryable: true },
        });
    }
  });

  it('a notifier that rejects is a retryable DeliveryError: the outbox tries again later', async () => {
    const notifier = fromAsyncNotifier({ notify: down });
    expect(await notifier.notify(notification)()).toStrictEqual(E.left(deliveryError(true, 'THREW')));
    expect(await fromAsyncNotifier({ notify: async () => undefined }).notify(notification)()).toStrictEqual(
      E.right(undefined),
    );
  });
});
