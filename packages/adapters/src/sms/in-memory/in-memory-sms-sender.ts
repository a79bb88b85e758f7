import type { DeliveryError, OutgoingSms, SmsSender } from '@paraphe/domain';
import * as TE from 'fp-ts/lib/TaskEither.js';

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
    send: (sms) => {
      const failure = failures.shift();
      if (failure !== undefined) return TE.left(failure);
      sent.push(sms);
      return TE.right({ providerMessageId: sms.id });
    },
  };
};
