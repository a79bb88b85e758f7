import type { DeliveryError, Mailer, OutgoingEmail } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import nodemailer from 'nodemailer';
import { classifySmtpError } from './classify-smtp-error.js';
import type { EmailTemplates } from './email-template.js';
import { defaultEmailTemplates, renderEmail } from './render-email.js';

export interface SmtpMailerConfig {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  readonly secure: boolean;
  /** Refuse to send in clear text when the server does not offer STARTTLS. */
  readonly requireTLS?: boolean;
  readonly auth?: { readonly user: string; readonly pass: string };
  readonly from: { readonly address: string; readonly name?: string };
  /** Right-hand side of the Message-ID, e.g. the sending domain. */
  readonly messageIdDomain: string;
  readonly timeouts?: {
    readonly connectionMs?: number;
    readonly greetingMs?: number;
    readonly socketMs?: number;
  };
  readonly templates?: EmailTemplates;
  /** Receives one secret-free line per outcome (no body, no link, no credentials). */
  readonly log?: (entry: SmtpLogEntry) => void;
}

export type SmtpLogEntry =
  | {
      readonly event: 'email.sent';
      readonly emailId: string;
      readonly kind: string;
      readonly messageId: string;
    }
  | {
      readonly event: 'email.failed';
      readonly emailId: string;
      readonly kind: string;
      readonly reason: string;
      readonly retryable: boolean;
    };

// Percent-encoding keeps the mapping one-to-one, so two ids never share a Message-ID: a UTF-16 code unit below
// U+0100 becomes `%` and two hex digits, any other `%u` and four, so no escape can be read as another followed
// by a character (with a plain `%` and three digits, U+0100 and U+0010 then `0` were both `%100`).
const escapeCodeUnit = (c: string): string => {
  const code = c.charCodeAt(0);
  const hex = code.toString(16).toUpperCase();
  return code < 0x100 ? `%${hex.padStart(2, '0')}` : `%u${hex.padStart(4, '0')}`;
};

const messageIdLocalPart = (id: string): string => id.replace(/[^A-Za-z0-9._-]/g, escapeCodeUnit);

/** `<id@domain>`: the same `email.id` always yields the same header, so a retry is recognisable. */
export const messageIdFor = (emailId: string, domain: string): string =>
  `<${messageIdLocalPart(emailId)}@${domain.replace(/[^A-Za-z0-9.-]/g, '')}>`;

/** Sends Paraphe emails over SMTP with nodemailer, one connection per message. */
export const makeSmtpMailer = (config: SmtpMailerConfig): Mailer => {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.requireTLS ?? false,
    ...(config.auth === undefined ? {} : { auth: { user: config.auth.user, pass: config.auth.pass } }),
    connectionTimeout: config.timeouts?.connectionMs ?? 10_000,
    greetingTimeout: config.timeouts?.greetingMs ?? 10_000,
    socketTimeout: config.timeouts?.socketMs ?? 30_000,
    // nodemailer's own logger would print the SMTP dialogue, message data included.
    logger: false,
    debug: false,
  });
  const templates = config.templates ?? defaultEmailTemplates;
  const log = config.log ?? (() => undefined);

  const send = (
    email: OutgoingEmail,
  ): TE.TaskEither<DeliveryError, { readonly providerMessageId: string }> => {
    const messageId = messageIdFor(email.id, config.messageIdDomain);
    const body = renderEmail(email, templates);
    return pipe(
      TE.tryCatch(
        () =>
          transport.sendMail({
            from: { name: config.from.name ?? '', address: config.from.address },
            to: email.toName === undefined ? email.to : { name: email.toName, address: email.to },
            ...(email.replyTo === undefined ? {} : { replyTo: email.replyTo }),
            subject: email.subject,
            text: body.text,
            ...(body.html === undefined ? {} : { html: body.html }),
            messageId,
            // RFC 3834: stops out-of-office robots from answering automated mail.
            headers: { 'Auto-Submitted': 'auto-generated' },
          }),
        classifySmtpError,
      ),
      TE.map(() => ({ providerMessageId: messageId })),
      TE.tapIO(
        (r) => () =>
          log({ event: 'email.sent', emailId: email.id, kind: email.kind, messageId: r.providerMessageId }),
      ),
      TE.tapError((e) =>
        TE.fromIO(() =>
          log({
            event: 'email.failed',
            emailId: email.id,
            kind: email.kind,
            reason: e.reason,
            retryable: e.retryable,
          }),
        ),
      ),
    );
  };
  return { send };
};
