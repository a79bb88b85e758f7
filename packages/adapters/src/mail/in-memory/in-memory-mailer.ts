import { type DeliveryError, deliveryError, type Mailer, type OutgoingEmail } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';

/** A mailer that keeps what it sends, for tests, demos and the development outbox. */
export interface InMemoryMailer extends Mailer {
  readonly sent: ReadonlyArray<OutgoingEmail>;
  /** Makes the next sends fail with these errors, in order (fault tests). */
  readonly failNext: (...errors: ReadonlyArray<DeliveryError>) => void;
}

export const makeInMemoryMailer = (): InMemoryMailer => {
  const sent: OutgoingEmail[] = [];
  // Looked up by id, not by a scan of `sent`: a long-running demo or benchmark sends tens of thousands.
  const sentIds = new Set<string>();
  const failures: DeliveryError[] = [];
  return {
    sent,
    failNext: (...errors) => {
      failures.push(...errors);
    },
    // Nothing happens until the task runs, as with a real transport.
    send: (email) => async () => {
      const failure = failures.shift();
      if (failure !== undefined) return E.left(failure);
      // A retried message keeps its id: deliver it once, as an idempotent mail relay would.
      if (!sentIds.has(email.id)) {
        sentIds.add(email.id);
        sent.push(email);
      }
      return E.right({ providerMessageId: email.id });
    },
  };
};

export const permanentMailFailure = (): DeliveryError =>
  deliveryError(false, 'SMTP_REJECTED', 'mailbox unavailable');
