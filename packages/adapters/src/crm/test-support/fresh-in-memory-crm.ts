import { crmError, deliveryError, type LifecycleNotifier, type QuoteSource } from '@paraphe/domain';
import type { FreshLifecycleNotifier } from '../../webhook/lifecycle-notifier.contract.js';
import { makeInMemoryCrm } from '../in-memory/in-memory-crm.js';
import type { FreshQuoteSource } from '../quote-source.contract.js';

/** The in-memory CRM as a quote source for the contract; `wrap` stands a (broken) source in front of it. */
export const freshInMemoryQuoteSource =
  (wrap: (source: QuoteSource) => QuoteSource = (s) => s) =>
  async (): Promise<FreshQuoteSource> => {
    const crm = makeInMemoryCrm();
    return {
      quotes: wrap(crm),
      putQuote: crm.putQuote,
      putUser: crm.putUser,
      followUpActions: async () => crm.followUpActions,
      refuseNext: (refusal) =>
        crm.failNext(refusal === 'permanent' ? crmError(false, 'HTTP_404') : crmError(true, 'HTTP_503')),
      close: async () => undefined,
    };
  };

/** The in-memory CRM as the receiving end of notifications; `wrap` stands a (broken) notifier in front of it. */
export const freshInMemoryNotifier =
  (wrap: (notifier: LifecycleNotifier) => LifecycleNotifier = (n) => n) =>
  async (): Promise<FreshLifecycleNotifier> => {
    const crm = makeInMemoryCrm();
    return {
      notifier: wrap(crm),
      received: async () => crm.notifications.map((n) => ({ ...n })),
      refuseNext: (refusal) =>
        crm.failNext(
          refusal === 'permanent' ? deliveryError(false, 'HTTP_410') : deliveryError(true, 'HTTP_503'),
        ),
      close: async () => undefined,
    };
  };
