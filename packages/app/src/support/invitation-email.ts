import {
  type CrmUser,
  type EmailAddress,
  type Mutable,
  type OutboxMessage,
  type OutgoingEmail,
  type SignatureProcedure,
  signerAt,
} from '@paraphe/domain';
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
 * An email to the signer at `position` that carries their signing link (as the placeholder) and the sender as
 * reply-to. With several signers it names the signer whose link delivery puts in; with one, it is as it always was.
 */
export const linkEmail = (
  procedure: SignatureProcedure,
  sender: CrmUser,
  kind: 'invitation' | 'reminder',
  id: string,
  content: { readonly subject: string; readonly text: string; readonly message?: string },
  position = 0,
): OutboxMessage => {
  const signer = signerAt(procedure, position);
  const email: Mutable<OutgoingEmail> = {
    id,
    tenantId: procedure.tenantId,
    procedureId: procedure.id,
    kind,
    language: procedure.language,
    to: signer.identity.email,
    toName: signer.identity.name,
    ...(sender.email === undefined ? {} : { replyTo: sender.email as EmailAddress }),
    subject: content.subject,
    text: content.text,
    template: {
      quoteNumber: procedure.quoteNumber,
      senderName: sender.name,
      signerName: signer.identity.name,
      signingLink: SIGNING_LINK_PLACEHOLDER,
      deadline: formatInTimeZone(procedure.deadline, procedure.timeZone, procedure.language),
      ...(content.message === undefined ? {} : { message: content.message }),
    },
  };
  if (procedure.signers.length > 1) email.signerPosition = position;
  return { kind: 'email', id, email };
};

/** The outbox id of a signer's invitation: the first signer's keeps the id a procedure's one invitation always had. */
export const invitationId = (procedureId: string, position = 0): string =>
  position === 0 ? `${procedureId}.invitation` : `${procedureId}.invitation-${position + 1}`;

/**
 * A signer's invitation goes through the outbox in the same unit of work as the change that invites them (the send,
 * or in sequence the signature before theirs). It keeps the placeholder, not the link: the link is put in at
 * delivery, so the stored message holds no token.
 */
export const invitationMessage = (
  procedure: SignatureProcedure,
  sender: CrmUser,
  position: number,
  subject: string,
  body: string,
): OutboxMessage => {
  const text = bodyWithLink(body, SIGNING_LINK_PLACEHOLDER);
  return linkEmail(
    procedure,
    sender,
    'invitation',
    invitationId(procedure.id, position),
    { subject, text, message: text.trim() },
    position,
  );
};

/**
 * The invitations of signers invited after the send (in sequence, when the one before signed), in the sender's words
 * kept on the procedure. A procedure without them (one signer, or parallel) has no one left to invite: none.
 */
export const invitationsFor = (
  procedure: SignatureProcedure,
  sender: CrmUser,
  positions: ReadonlyArray<number>,
): ReadonlyArray<OutboxMessage> => {
  const invitation = procedure.invitation;
  if (invitation === undefined) return [];
  return positions.map((position) =>
    invitationMessage(procedure, sender, position, invitation.subject, invitation.body),
  );
};
