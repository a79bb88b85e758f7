import { type CrmUser, type OutboxMessage, type SignatureProcedure, signerAt } from '@paraphe/domain';
import { formatInTimeZone } from './format-date.js';
import { linkEmail, SIGNING_LINK_PLACEHOLDER } from './invitation-email.js';

const texts = {
  fr: {
    subject: (n: string) => `Rappel : le devis ${n} attend votre signature`,
    body: (n: string, sender: string, deadline: string) =>
      `Bonjour,\n\n${sender} vous a envoyé le devis ${n} à signer. Vous pouvez le signer jusqu'au ${deadline} :\n\n${SIGNING_LINK_PLACEHOLDER}\n`,
  },
  en: {
    subject: (n: string) => `Reminder: quote ${n} is waiting for your signature`,
    body: (n: string, sender: string, deadline: string) =>
      `Hello,\n\n${sender} sent you quote ${n} to sign. You can sign it until ${deadline}:\n\n${SIGNING_LINK_PLACEHOLDER}\n`,
  },
} as const;

/** The outbox id of a signer's reminder: the first signer's as a procedure's reminders always were. */
export const reminderId = (procedureId: string, position: number, number: number): string =>
  position === 0 ? `${procedureId}.reminder-${number}` : `${procedureId}.reminder-${position + 1}-${number}`;

/** A reminder carries the same link as the signer's invitation, put in at delivery like the invitation's. */
export const reminderMessage = (
  procedure: SignatureProcedure,
  sender: CrmUser,
  position = 0,
): OutboxMessage => {
  const language = procedure.language;
  const deadline = formatInTimeZone(procedure.deadline, procedure.timeZone, language);
  const id = reminderId(procedure.id, position, signerAt(procedure, position).remindersSent);
  return linkEmail(
    procedure,
    sender,
    'reminder',
    id,
    {
      subject: texts[language].subject(procedure.quoteNumber),
      text: texts[language].body(procedure.quoteNumber, sender.name, deadline),
    },
    position,
  );
};
