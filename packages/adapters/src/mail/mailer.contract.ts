import type { DeliveryError, EmailAddress, Mailer, OutgoingEmail } from '@paraphe/domain';
import { expect } from 'vitest';
import {
  assertLeft,
  assertRight,
  type ContractCheck,
  type ContractFixture,
  describeContract,
  expectNothingUntilRun,
} from '../testing/contract-suite.js';

/** One message as its recipient's mail system holds it. */
export interface ReceivedEmail {
  /** What a receiver de-duplicates on: the Message-ID header over SMTP, the email id in an outbox keyed by it. */
  readonly messageKey: string;
  readonly to: string;
  /** Absent when the message names no recipient. */
  readonly toName?: string;
  /** Absent when the message has no Reply-To. */
  readonly replyTo?: string;
  readonly subject: string;
  /** The plain-text body as the recipient reads it (transfer encodings undone). */
  readonly text: string;
}

/** A mailer, fresh, and the receiving end a test can read and make refuse. */
export interface FreshMailer extends ContractFixture {
  readonly mailer: Mailer;
  /** Every message the receiver accepted so far, oldest first. */
  readonly received: () => Promise<ReadonlyArray<ReceivedEmail>>;
  /** The receiver refuses the next message: `permanent` for good (SMTP 550), `temporary` for now (SMTP 451). */
  readonly refuseNext: (refusal: 'permanent' | 'temporary') => void | Promise<void>;
}

const linkToken = 'tok_8c1f0e2d3b4a59687f6e5d4c3b2a1908';
// Longer than a mail line (78 characters): a transfer encoding must not break it.
const signingLink = `https://sign.crm.example/s/${linkToken}?lang=fr&campaign=${'x'.repeat(80)}`;

const email = (over: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  id: 'sp_0f1e2d3c.invitation',
  tenantId: 'tenant-a',
  procedureId: 'sp_0f1e2d3c',
  kind: 'invitation',
  language: 'fr',
  to: 'claire.muller@client.example' as EmailAddress,
  toName: 'Claire Müller-Lefèvre',
  replyTo: 'paul@vendor.example' as EmailAddress,
  subject:
    'Devis n° D-2025-042 à signer — Société Générale d’Études (version révisée après notre rendez-vous)',
  text: `Bonjour Claire,\n\nVoici notre devis, à signer ici :\n${signingLink}\n\nPaul Dupont`,
  ...over,
});

const withoutOptionals = (e: OutgoingEmail): OutgoingEmail => {
  const { toName: _name, replyTo: _replyTo, template: _template, ...rest } = e;
  return rest;
};

// Line endings and a final newline belong to the transport, not to the message.
const normalised = (text: string): string => text.replace(/\r\n/g, '\n').trim();

const expectSecretFree = (error: DeliveryError): void => {
  expect(error._tag).toBe('DeliveryError');
  expect(error.reason).toMatch(/^[A-Z][A-Z0-9_]*$/);
  expect(JSON.stringify(error)).not.toContain(linkToken);
};

/** Ids that differ only in characters a Message-ID cannot hold as they are. */
const distinctIds = ['m-1', 'm 1', 'm_1', 'm@1', 'm%401', 'm<1>', 'm.1', 'mé1', 'm%E91', '\u0100', '\u00100'];

export const mailerContract: ReadonlyArray<ContractCheck<FreshMailer>> = [
  {
    name: 'delivers an email to its recipient with its name, reply-to, subject and text, accents and long link whole',
    check: async ({ mailer, received }) => {
      const sent = assertRight(await mailer.send(email())());
      expect(sent.providerMessageId).not.toBe('');
      const [got, ...more] = await received();
      expect(more).toHaveLength(0);
      expect(got?.to).toBe('claire.muller@client.example');
      expect(got?.toName).toBe('Claire Müller-Lefèvre');
      expect(got?.replyTo).toBe('paul@vendor.example');
      expect(got?.subject).toBe(email().subject);
      expect(normalised(got?.text ?? '')).toBe(email().text);
    },
  },
  {
    name: 'delivers an email that has no recipient name, no reply-to and no template values',
    check: async ({ mailer, received }) => {
      assertRight(await mailer.send(withoutOptionals(email()))());
      const [got] = await received();
      expect(got?.to).toBe('claire.muller@client.example');
      expect(normalised(got?.text ?? '')).toBe(email().text);
    },
  },
  {
    name: 'brings the signing link of the text to the reader when template values are given too',
    check: async ({ mailer, received }) => {
      const values = {
        quoteNumber: 'D-2025-042',
        senderName: 'Paul Dupont',
        signerName: 'Claire Müller-Lefèvre',
        signingLink,
        deadline: '30/06/2025',
        message: 'Bonjour Claire, voici notre devis.',
      };
      assertRight(await mailer.send(email({ template: values }))());
      const [got] = await received();
      expect(got?.subject).toBe(email().subject);
      expect(normalised(got?.text ?? '')).toContain(signingLink);
    },
  },
  {
    name: 'makes the same id sent twice (a retry) one message to the receiver',
    check: async ({ mailer, received }) => {
      assertRight(await mailer.send(email())());
      assertRight(await mailer.send(email())());
      const messages = await received();
      expect(messages.length).toBeGreaterThanOrEqual(1);
      expect(new Set(messages.map((m) => m.messageKey)).size).toBe(1);
    },
  },
  {
    name: 'keeps different ids different messages, even ids a header cannot hold as they are',
    check: async ({ mailer, received }) => {
      for (const [i, id] of distinctIds.entries()) {
        assertRight(await mailer.send(email({ id, subject: `Devis ${i}` }))());
      }
      const messages = await received();
      expect(messages.map((m) => m.subject)).toStrictEqual(distinctIds.map((_, i) => `Devis ${i}`));
      expect(new Set(messages.map((m) => m.messageKey)).size).toBe(distinctIds.length);
    },
  },
  {
    name: 'sends nothing until its task is run',
    check: ({ mailer, received }) => expectNothingUntilRun(mailer.send(email()), received),
  },
  {
    name: 'reports a recipient refused for good as a permanent, secret-free DeliveryError, and sends the next',
    check: async ({ mailer, received, refuseNext }) => {
      await refuseNext('permanent');
      const error = assertLeft(await mailer.send(email())());
      expect(error.retryable).toBe(false);
      expectSecretFree(error);
      expect(await received()).toHaveLength(0);
      assertRight(await mailer.send(email({ id: 'sp_0f1e2d3c.reminder-1', kind: 'reminder' }))());
      expect(await received()).toHaveLength(1);
    },
  },
  {
    name: 'reports a refusal for now as a retryable, secret-free DeliveryError; the retry is delivered once',
    check: async ({ mailer, received, refuseNext }) => {
      await refuseNext('temporary');
      const error = assertLeft(await mailer.send(email())());
      expect(error.retryable).toBe(true);
      expectSecretFree(error);
      expect(await received()).toHaveLength(0);
      assertRight(await mailer.send(email())());
      expect(await received()).toHaveLength(1);
    },
  },
];

/**
 * The behaviour every `Mailer` shares. Each adapter's test file calls this with a factory of a fresh mailer and
 * its receiving end (the in-memory outbox, a loopback SMTP server), then adds its own tests below.
 */
export const describeMailerContract = (name: string, makeFresh: () => Promise<FreshMailer>): void =>
  describeContract(`Mailer contract: ${name}`, mailerContract, makeFresh);
