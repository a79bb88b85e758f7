import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import type { EmailAddress, OutgoingEmail } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { retrying } from '../../delivery/retrying.js';
import { recordingSleep } from '../../delivery/sleep.js';
import { makeSmtpMailer, type SmtpMailerConfig } from './smtp-mailer.js';
import { type SmtpTestServer, smtpReply, startSmtpTestServer } from './test-support/smtp-test-server.js';

const email: OutgoingEmail = {
  id: 'inv-77',
  tenantId: 't',
  procedureId: 'p',
  kind: 'reminder',
  language: 'en',
  to: 'claire@client.example' as EmailAddress,
  subject: 'Reminder',
  text: 'Sign at https://sign.example.org/s/abc',
  template: {
    quoteNumber: 'Q-77',
    senderName: 'Paul',
    signerName: 'Claire',
    signingLink: 'https://sign.example.org/s/abc',
  },
};

const config = (port: number, greetingMs = 2000): SmtpMailerConfig => ({
  host: '127.0.0.1',
  port,
  secure: false,
  from: { address: 'noreply@paraphe.example' },
  messageIdDomain: 'paraphe.example',
  timeouts: { connectionMs: 2000, greetingMs, socketMs: 2000 },
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

describe('makeSmtpMailer, retried', () => {
  it('delivers after a 451 deferral when wrapped in retrying, under the same Message-ID', async () => {
    let rcptCalls = 0;
    const server: SmtpTestServer = await startSmtpTestServer({
      rcpt: () => (rcptCalls++ === 0 ? smtpReply(451, '4.7.1 Greylisted, try again') : undefined),
    });
    cleanups.push(server.close);
    const { sleep, waits } = recordingSleep();
    const mailer = retrying({ maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 500 }, sleep, { random: () => 0 })(
      makeSmtpMailer(config(server.port)),
    );
    const result = await mailer.send(email)();
    expect(result).toEqual(E.right({ providerMessageId: '<inv-77@paraphe.example>' }));
    expect(waits).toEqual([50]);
    expect(server.received).toHaveLength(1);
    const parsed = await simpleParser(server.received[0] ?? Buffer.alloc(0));
    expect(parsed.messageId).toBe('<inv-77@paraphe.example>');
  });

  it('reports a server that never greets as a retryable TIMEOUT, quickly', async () => {
    const silent: Server = createServer(() => undefined);
    const port = await new Promise<number>((resolve) =>
      silent.listen(0, '127.0.0.1', () => resolve((silent.address() as AddressInfo).port)),
    );
    cleanups.push(
      () =>
        new Promise((resolve) => {
          silent.close(() => resolve());
        }),
    );
    const started = Date.now();
    const result = await makeSmtpMailer(config(port, 150)).send(email)();
    expect(E.isLeft(result) && result.left).toMatchObject({ retryable: true, reason: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
