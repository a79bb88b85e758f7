import type { CrmUser, OutboxMessage, SignatureProcedure } from '@paraphe/domain';
import { formatInTimeZone } from './format-date.js';

export const SIGNING_LINK_PLACEHOLDER = '{{signing_link}}';

/** The user's own body, with the link where they put the placeholder, or appended when they did not (rule 2). */
export const bodyWithLink = (body: string, link: string): string =>
  body.includes(SIGNING_LINK_PLACEHOLDER)
    ? body.split(SIGNING_LINK_PLACEHOLDER).join(link)
    : `${body.trimEnd()}\n\n${link}\n`;

/** The invitation goes through the outbox in the same unit of work as the procedure it announces. */
export const invitationMessage = (
  procedure: SignatureProcedure,
  sender: CrmUser,
  subject: string,
  body: string,
  link: string,
): OutboxMessage => {
  const id = `${procedure.id}.invitation`;
  return {
    kind: 'email',
    id,
    email: {
      id,
      tenantId: procedure.tenantId,
      procedureId: procedure.id,
      kind: 'invitation',
      language: procedure.language,
      to: procedure.signer.email,
      toName: procedure.signer.name,
      ...(sender.email === undefined
        ? {}
        : { replyTo: sender.email as SignatureProcedure['signer']['email'] }),
      subject,
      text: bodyWithLink(body, link),
      template: {
        quoteNumber: procedure.quoteNumber,
        senderName: sender.name,
        signerName: procedure.signer.name,
        signingLink: link,
        deadline: formatInTimeZone(procedure.deadline, procedure.timeZone, procedure.language),
      },
    },
  };
};
