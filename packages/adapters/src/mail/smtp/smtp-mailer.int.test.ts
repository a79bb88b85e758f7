import type { EmailAddress, OutgoingEmail } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../delivery/test-support/closed-port.js';
import { describeMailerContract, type ReceivedEmail } from '../mailer.contract.js';
import { makeSmtpMailer, type SmtpLogEntry, type SmtpMailerConfig } from './smtp-mailer.js';
import { type SmtpTestServer, smtpReply, startSmtpTestServer } from './test-support/smtp-test-server.js';

const linkToken = 'tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const signingLink = `https://sign.example.org/s/${linkToken}`;

const invitation = (language: 'fr' | 'en'): OutgoingEmail => ({
  id: `email-${language}-1`,
  tenantId: 't-1',
  procedureId: 'p-1',
  kind: 'invitation',
  language,
  to: 'claire@client.example' as EmailAddress,
  toName: 'Claire Martin',
  replyTo: 'paul@vendor.example' as EmailAddress,
  subject: language === 'fr' ? 'Devis D-2024-042 à signer' : 'Quote D-2024-042 to sign',
  text: `Signez ici : ${signingLink}`,
  template: {
    quoteNumber: 'D-2024-042',
    senderName: 'Paul Dupont',
    signerName: 'Claire Martin',
    signingLink,
    deadline: '30/06/2025',
    message:
      language === 'fr'
        ? `Bonjour Claire,\nVoici notre devis : ${signingLink}\nPaul <Dupont> & Fils`
        : `Hello Claire,\nHere is our quote: ${signingLink}\nPaul <Dupont> & Fils`,
  },
});

let server: SmtpTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const configFor = (port: number, log?: (e: SmtpLogEntry) => void): SmtpMailerConfig => ({
  host: '127.0.0.1',
  port,
  secure: false,
  from: { address: 'noreply@paraphe.example', name: 'Paraphe' },
  messageIdDomain: 'paraphe.example',
  timeouts: { connectionMs: 2000, greetingMs: 2000, socketMs: 2000 },
  ...(log === undefined ? {} : { log }),
});

const firstAddress = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field[0] : field)?.value[0];

/** A message as the SMTP server received it, read by mailparser as a mail client would. */
const asReceived = (mail: ParsedMail): ReceivedEmail => {
  const to = firstAddress(mail.to);
  const replyTo = firstAddress(mail.replyTo)?.address;
  return {
    messageKey: mail.messageId ?? '',
    to: to?.address ?? '',
    ...(to?.name ? { toName: to.name } : {}),
    ...(replyTo === undefined ? {} : { replyTo }),
    subject: mail.subject ?? '',
    text: mail.text ?? '',
  };
};

describeMailerContract('smtp', async () => {
  const refusals: Error[] = [];
  const smtp = await startSmtpTestServer({ rcpt: () => refusals.shift() });
  return {
    mailer: makeSmtpMailer(configFor(smtp.port)),
    received: async () => (await Promise.all(smtp.received.map((raw) => simpleParser(raw)))).map(asReceived),
    refuseNext: (refusal) => {
      refusals.push(
        refusal === 'permanent'
          ? smtpReply(550, '5.1.1 Mailbox unavailable')
          : smtpReply(451, '4.3.0 Try again later'),
      );
    },
    close: smtp.close,
  };
});

describe('makeSmtpMailer against a real SMTP server', () => {
  it.each(['fr', 'en'] as const)(
    'delivers the %s invitation with both bodies and the right headers',
    async (lang) => {
      server = await startSmtpTestServer();
      const mailer = makeSmtpMailer(configFor(server.port));
      const email = invitation(lang);

      const first = await mailer.send(email)();
      const retried = await mailer.send(email)();

      expect(E.isRight(first) && E.isRight(retried)).toBe(true);
      expect(server.received).toHaveLength(2);
      const [a, b] = await Promise.all(server.received.map((raw) => simpleParser(raw)));
      expect(a?.subject).toBe(email.subject);
      expect(a?.from?.value[0]).toEqual({ address: 'noreply@paraphe.example', name: 'Paraphe' });
      expect(a?.replyTo?.value[0]?.address).toBe('paul@vendor.example');
      expect(a?.to && !Array.isArray(a.to) ? a.to.value[0]?.address : undefined).toBe(
        'claire@client.example',
      );
      expect(a?.messageId).toBe(`<email-${lang}-1@paraphe.example>`);
      expect(b?.messageId).toBe(a?.messageId);
      expect(first).toEqual(E.right({ providerMessageId: a?.messageId }));
      expect(a?.text).toContain(signingLink);
      expect(a?.html).toContain(`href="${signingLink}"`);
      expect(a?.html).toContain('Paul &lt;Dupont&gt; &amp; Fils');
      expect(a?.html).not.toContain('<Dupont>');
      expect(a?.text).toContain(
        lang === 'fr' ? 'Bonjour Claire,\nVoici notre devis' : 'Hello Claire,\nHere is our quote',
      );
      expect(a?.html).toContain(
        lang === 'fr' ? 'Bonjour Claire,<br>Voici notre devis' : 'Hello Claire,<br>Here is our quote',
      );
      expect(a?.headers.get('auto-submitted')).toBe('auto-generated');
    },
  );

  it('sends email.text as is when there are no template values', async () => {
    server = await startSmtpTestServer();
    const { template: _, ...plain } = invitation('fr');
    const result = await makeSmtpMailer(configFor(server.port)).send(plain)();
    expect(E.isRight(result)).toBe(true);
    const parsed = await simpleParser(server.received[0] ?? Buffer.alloc(0));
    expect(parsed.text?.trim()).toBe(plain.text);
    expect(parsed.html).toBe(false);
  });

  it('reports a 550 mailbox refusal as permanent', async () => {
    server = await startSmtpTestServer({ rcpt: () => smtpReply(550, '5.1.1 Mailbox unavailable') });
    const result = await makeSmtpMailer(configFor(server.port)).send(invitation('fr'))();
    expect(result).toEqual(
      E.left({ _tag: 'DeliveryError', retryable: false, reason: 'SMTP_REJECTED', detail: '550 5.1.1' }),
    );
  });

  it('reports a 451 deferral as retryable', async () => {
    server = await startSmtpTestServer({ rcpt: () => smtpReply(451, '4.3.0 Try again later') });
    const result = await makeSmtpMailer(configFor(server.port)).send(invitation('en'))();
    expect(E.isLeft(result) && result.left).toMatchObject({ retryable: true, reason: 'SMTP_DEFERRED' });
  });

  it('reports a refused connection as retryable, with secret-free errors and logs', async () => {
    const lines: SmtpLogEntry[] = [];
    const port = await closedPort();
    const config = {
      ...configFor(port, (e) => lines.push(e)),
      auth: { user: 'smtp-user', pass: 's3cret-pass' },
    };
    const result = await makeSmtpMailer(config).send(invitation('fr'))();
    expect(E.isLeft(result) && result.left).toMatchObject({ retryable: true, reason: 'CONNECTION_REFUSED' });
    const everything = JSON.stringify([result, lines]);
    for (const secret of [linkToken, 's3cret-pass', 'smtp-user']) expect(everything).not.toContain(secret);
    expect(lines).toEqual([
      {
        event: 'email.failed',
        emailId: 'email-fr-1',
        kind: 'invitation',
        reason: 'CONNECTION_REFUSED',
        retryable: true,
      },
    ]);
  });
});
