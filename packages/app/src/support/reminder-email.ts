import type { CrmUser, OutboxMessage, SignatureProcedure } from '@paraphe/domain';
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

/** A reminder carries the same link as the invitation, put in at delivery like the invitation's. */
export const reminderMessage = (procedure: SignatureProcedure, sender: CrmUser): OutboxMessage => {
  const language = procedure.language;
  const deadline = formatInTimeZone(procedure.deadline, procedure.timeZone, language);
  return linkEmail(procedure, sender, 'reminder', `${procedure.id}.reminder-${procedure.remindersSent}`, {
    subject: texts[language].subject(procedure.quoteNumber),
    text: texts[language].body(procedure.quoteNumber, sender.name, deadline),
  });
};
