import { deliveryError, type SmsSender } from '@paraphe/domain';
import { makeInMemorySmsSender } from '../in-memory/in-memory-sms-sender.js';
import type { FreshSmsSender } from '../sms-sender.contract.js';

/** The in-memory SMS sender and its outbox for the contract; `wrap` stands a (broken) sender in front of it. */
export const freshInMemorySmsSender =
  (wrap: (sender: SmsSender) => SmsSender = (s) => s) =>
  async (): Promise<FreshSmsSender> => {
    const outbox = makeInMemorySmsSender();
    return {
      sender: wrap(outbox),
      received: async () => outbox.sent.map((sms) => ({ to: sms.to, text: sms.text })),
      refuseNext: (refusal) =>
        outbox.failNext(
          refusal === 'invalid-number'
            ? deliveryError(false, 'INVALID_NUMBER')
            : deliveryError(true, 'PROVIDER_UNAVAILABLE'),
        ),
      close: async () => undefined,
    };
  };
