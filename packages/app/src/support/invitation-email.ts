import type { CrmUser, OutboxMessage, OutgoingEmail, SignatureProcedure } from '@paraphe/domain';
import { formatInTimeZone } from './format-date.js';

export const SIGNING_LINK_PLACEHOLDER = '{{signing_link}}';

/** The user's own body, with the link where they put the placeholder, or appended when they did not (rule 2). */
export const bodyWithLink = (body: string, link: string): string =>
  body.includes(SIGNING_LINK_PLACEHOLDER) ? withLink(body, link) : `${body.trimEnd()}\n\n${link}\n`;

export const withLink = (text: string, link: string): string =>
  text.split(SIGNING_LINK_PLACEHOLDER).join(link);

/** Puts the real link into a stored email, just before it leaves. */
export const resolveLink = (email: OutgoingEmail, link: string): OutgoingEmail => ({
  ...email,
  text: withLink(email.text, link),
  ...(email.template === undefined
    ? {}
    : {
        template: Object.fromEntries(Object.entries(email.template).map(([k, v]) => [k, withLink(v, link)])),
      }),
});

/**
 * The invitation goes through the outbox in the same unit of work as the procedure it announces. It keeps the
 * placeholder, not the link: the link is put in at delivery, so the stored message holds no token.
 */
export const invitationMessage = (
  procedure: SignatureProcedure,
  sender: CrmUser,
  subject: string,
  body: string,
): OutboxMessage => {
  const link = SIGNING_LINK_PLACEHOLDER;
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
        message: bodyWithLink(body, link).trim(),
        deadline: formatInTimeZone(procedure.deadline, procedure.timeZone, procedure.language),
      },
    },
  };
};
