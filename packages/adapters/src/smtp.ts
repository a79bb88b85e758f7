/** `@paraphe/adapters/smtp`: the SMTP mailer and its fr/en templates. Needs `nodemailer` (an optional peer dependency). */
export * from './mail/smtp/index.js';
