import { deliveryError, type Mailer, type OutgoingEmail } from '@paraphe/domain';
import { makeInMemoryMailer, permanentMailFailure } from '../in-memory/in-memory-mailer.js';
import type { FreshMailer, ReceivedEmail } from '../mailer.contract.js';

/** What the in-memory outbox holds, seen as a receiver would: it keys messages by their id. */
const asReceived = (e: OutgoingEmail): ReceivedEmail => ({
  messageKey: e.id,
  to: e.to,
  ...(e.toName === undefined ? {} : { toName: e.toName }),
  ...(e.replyTo === undefined ? {} : { replyTo: e.replyTo }),
  subject: e.subject,
  text: e.text,
});

/** The in-memory mailer and its outbox for the contract; `wrap` stands a (broken) mailer in front of it. */
export const freshInMemoryMailer =
  (wrap: (mailer: Mailer) => Mailer = (m) => m) =>
  async (): Promise<FreshMailer> => {
    const outbox = makeInMemoryMailer();
    return {
      mailer: wrap(outbox),
      received: async () => outbox.sent.map(asReceived),
      refuseNext: (refusal) =>
        outbox.failNext(
          refusal === 'permanent' ? permanentMailFailure() : deliveryError(true, 'SMTP_DEFERRED'),
        ),
      close: async () => undefined,
    };
  };
