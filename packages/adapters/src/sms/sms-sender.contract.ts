import type { DeliveryError, MobileNumber, OutgoingSms, SmsSender } from '@paraphe/domain';
import { expect } from 'vitest';
import {
  assertLeft,
  assertRight,
  type ContractCheck,
  type ContractFixture,
  describeContract,
  expectNothingUntilRun,
} from '../testing/contract-suite.js';

/** One SMS as the provider took it. */
export interface ReceivedSms {
  readonly to: string;
  readonly text: string;
}

/** An SMS sender, fresh, and the provider's side a test can read and make refuse. */
export interface FreshSmsSender extends ContractFixture {
  readonly sender: SmsSender;
  /** Every SMS the provider accepted so far, oldest first. */
  readonly received: () => Promise<ReadonlyArray<ReceivedSms>>;
  /** The provider refuses the next SMS: `invalid-number` for good, `unavailable` for now (HTTP 5xx). */
  readonly refuseNext: (refusal: 'invalid-number' | 'unavailable') => void | Promise<void>;
}

const code = '482913';
const to = '+33612345678' as MobileNumber;

const sms = (over: Partial<OutgoingSms> = {}): OutgoingSms => ({
  id: 'sp_0f1e2d3c.code-1',
  tenantId: 'tenant-a',
  procedureId: 'sp_0f1e2d3c',
  language: 'fr',
  to,
  text: `Votre code de signature pour le devis D-2025-042 : ${code}. Il expire dans 5 minutes. Ne le communiquez à personne.`,
  ...over,
});

const second = (): OutgoingSms =>
  sms({
    id: 'sp_0f1e2d3c.code-2',
    to: '+447700900123' as MobileNumber,
    text: 'Your signature code for quote D-2025-042: 907155. It expires in 5 minutes. Do not share it.',
  });

// What the port promises adapters never log: the text (its code) and, by extension, whom it went to.
const expectSecretFree = (error: DeliveryError): void => {
  expect(error._tag).toBe('DeliveryError');
  expect(error.reason).toMatch(/^[A-Z][A-Z0-9_]*$/);
  const everything = JSON.stringify(error);
  for (const secret of [code, to, to.slice(1)]) expect(everything).not.toContain(secret);
};

export const smsSenderContract: ReadonlyArray<ContractCheck<FreshSmsSender>> = [
  {
    name: 'sends an SMS to its number with its text whole, accents included',
    check: async ({ sender, received }) => {
      const sent = assertRight(await sender.send(sms())());
      expect(sent.providerMessageId).not.toBe('');
      expect(await received()).toStrictEqual([{ to: sms().to, text: sms().text }]);
    },
  },
  {
    name: 'sends two SMS as two messages, in order, each with its own provider id',
    check: async ({ sender, received }) => {
      const first = assertRight(await sender.send(sms())());
      const then = assertRight(await sender.send(second())());
      expect(first.providerMessageId).not.toBe(then.providerMessageId);
      expect(await received()).toStrictEqual([
        { to: sms().to, text: sms().text },
        { to: second().to, text: second().text },
      ]);
    },
  },
  {
    name: 'sends nothing until its task is run',
    check: ({ sender, received }) => expectNothingUntilRun(sender.send(sms()), received),
  },
  {
    name: 'reports a number refused for good as a permanent, secret-free DeliveryError, and sends the next',
    check: async ({ sender, received, refuseNext }) => {
      await refuseNext('invalid-number');
      const error = assertLeft(await sender.send(sms())());
      expect(error.retryable).toBe(false);
      expectSecretFree(error);
      expect(await received()).toHaveLength(0);
      assertRight(await sender.send(second())());
      expect(await received()).toStrictEqual([{ to: second().to, text: second().text }]);
    },
  },
  {
    name: 'reports a provider unavailable for now as a retryable, secret-free DeliveryError; the retry is sent once',
    check: async ({ sender, received, refuseNext }) => {
      await refuseNext('unavailable');
      const error = assertLeft(await sender.send(sms())());
      expect(error.retryable).toBe(true);
      expectSecretFree(error);
      expect(await received()).toHaveLength(0);
      assertRight(await sender.send(sms())());
      expect(await received()).toStrictEqual([{ to: sms().to, text: sms().text }]);
    },
  },
];

/**
 * The behaviour every `SmsSender` shares. Each adapter's test file calls this with a factory of a fresh sender and
 * its provider's side (the in-memory outbox, a loopback fake provider), then adds its own tests below.
 */
export const describeSmsSenderContract = (name: string, makeFresh: () => Promise<FreshSmsSender>): void =>
  describeContract(`SmsSender contract: ${name}`, smsSenderContract, makeFresh);
