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

/** An email to the signer that carries the signing link (as the placeholder) and the sender as reply-to. */
export const linkEmail = (
  procedure: SignatureProcedure,
  sender: CrmUser,
  kind: 'invitation' | 'reminder',
  id: string,
  content: { readonly subject: string; readonly text: string; readonly message?: string },
): OutboxMessage => ({
  kind: 'email',
  id,
  email: {
    id,
    tenantId: procedure.tenantId,
    procedureId: procedure.id,
    kind,
    language: procedure.language,
    to: procedure.signer.email,
    toName: procedure.signer.name,
    ...(sender.email === undefined ? {} : { replyTo: sender.email as SignatureProcedure['signer']['email'] }),
    subject: content.subject,
    text: content.text,
    template: {
      quoteNumber: procedure.quoteNumber,
      senderName: sender.name,
      signerName: procedure.signer.name,
      signingLink: SIGNING_LINK_PLACEHOLDER,
      deadline: formatInTimeZone(procedure.deadline, procedure.timeZone, procedure.language),
      ...(content.message === undefined ? {} : { message: content.message }),
    },
  },
});

/** The outbox id of a procedure's one invitation. */
export const invitationId = (procedureId: string): string => `${procedureId}.invitation`;

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
  const text = bodyWithLink(body, SIGNING_LINK_PLACEHOLDER);
  return linkEmail(procedure, sender, 'invitation', invitationId(procedure.id), {
    subject,
    text,
    message: text.trim(),
  });
};
