export { classifySmtpError } from './classify-smtp-error.js';
export type { EmailTemplate, EmailTemplates } from './email-template.js';
export { defaultEmailTemplates, escapeHtml, type RenderedEmail, renderEmail } from './render-email.js';
export { makeSmtpMailer, messageIdFor, type SmtpLogEntry, type SmtpMailerConfig } from './smtp-mailer.js';
