import type { DeliveryError, OutgoingSms, SmsSender } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';

/** An SMS sender that keeps what it sends (code included), for tests, demos and the development outbox only. */
export interface InMemorySmsSender extends SmsSender {
  readonly sent: ReadonlyArray<OutgoingSms>;
  readonly failNext: (...errors: ReadonlyArray<DeliveryError>) => void;
}

export const makeInMemorySmsSender = (): InMemorySmsSender => {
  const sent: OutgoingSms[] = [];
  const failures: DeliveryError[] = [];
  return {
    sent,
    failNext: (...errors) => {
      failures.push(...errors);
    },
    // Nothing happens until the task runs, as with a real provider.
    send: (sms) => async () => {
      const failure = failures.shift();
      if (failure !== undefined) return E.left(failure);
      sent.push(sms);
      return E.right({ providerMessageId: sms.id });
    },
  };
};
