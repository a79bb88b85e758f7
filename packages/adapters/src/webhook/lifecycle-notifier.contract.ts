import {
  type DeliveryError,
  isDeliveryError,
  type LifecycleNotification,
  type LifecycleNotifier,
} from '@paraphe/domain';
import { expect } from 'vitest';
import {
  assertLeft,
  assertRight,
  type ContractCheck,
  type ContractFixture,
  describeContract,
  expectNothingUntilRun,
} from '../testing/contract-suite.js';

/** A notification as the CRM took it; `type` and `status` as the text it read. */
export interface ReceivedNotification {
  readonly id: string;
  readonly tenantId: string;
  readonly procedureId: string;
  readonly quoteId: string;
  readonly type: string;
  readonly status: string;
  readonly at: Date;
  /** Absent when the change has no reason. */
  readonly reason?: string;
}

/** A notifier, fresh, and the CRM's receiving end a test can read and make unavailable. */
export interface FreshLifecycleNotifier extends ContractFixture {
  readonly notifier: LifecycleNotifier;
  /** The notifications the receiver accepted so far, oldest first; one delivered twice may be there twice. */
  readonly received: () => Promise<ReadonlyArray<ReceivedNotification>>;
  /**
   * The receiver turns the whole next `notify` call down, every attempt of it: `unavailable` for now (a webhook:
   * HTTP 503), `permanent` for good (a webhook: HTTP 400).
   */
  readonly refuseNext: (refusal: 'unavailable' | 'permanent') => void | Promise<void>;
}

const signed: LifecycleNotification = {
  id: 'sp_0f1e2d3c.signed',
  tenantId: 'tenant-é',
  procedureId: 'sp_0f1e2d3c',
  // Text a URL or a query string would have to escape.
  quoteId: 'Q/2025 #42 "révisé" & co?',
  type: 'signed',
  status: 'signed',
  // Milliseconds matter: the CRM orders events by this instant.
  at: new Date('2025-06-01T10:00:00.123Z'),
};

const opened: LifecycleNotification = {
  ...signed,
  id: 'sp_0f1e2d3c.opened',
  type: 'opened',
  status: 'opened',
  at: new Date('2025-06-01T09:58:41.007Z'),
};

const otherTenant: LifecycleNotification = {
  ...signed,
  id: 'sp_99aa.declined',
  tenantId: 'tenant-b',
  procedureId: 'sp_99aa',
  quoteId: 'q-7',
  type: 'declined',
  status: 'declined',
  reason: 'Prix trop élevé ; « délai » trop long\nà revoir',
};

/** The port's own error, its reason a stable code, nothing of the notification's content in it. */
const expectDeliveryError = (error: unknown, retryable: boolean): void => {
  expect(isDeliveryError(error)).toBe(true);
  const { reason, retryable: said } = error as DeliveryError;
  expect(said).toBe(retryable);
  expect(reason).toMatch(/^[A-Z][A-Z0-9_]*$/);
  expect(JSON.stringify(error)).not.toContain(signed.quoteId);
};

const asReceived = (n: LifecycleNotification): ReceivedNotification => ({ ...n });

const copiesOf = async (fixture: FreshLifecycleNotifier, id: string) =>
  (await fixture.received()).filter((n) => n.id === id);

export const lifecycleNotifierContract: ReadonlyArray<ContractCheck<FreshLifecycleNotifier>> = [
  {
    name: 'delivers a notification with every field as given, its instant to the millisecond, no reason when none',
    check: async (fixture) => {
      assertRight(await fixture.notifier.notify(signed)());
      expect(await fixture.received()).toStrictEqual([asReceived(signed)]);
    },
  },
  {
    name: 'delivers a decline with its reason, line break and quotes included',
    check: async (fixture) => {
      assertRight(await fixture.notifier.notify(otherTenant)());
      expect(await fixture.received()).toStrictEqual([asReceived(otherTenant)]);
    },
  },
  {
    name: 'delivers each notification of a procedure and of another tenant, none merged into another',
    check: async (fixture) => {
      for (const n of [opened, signed, otherTenant]) assertRight(await fixture.notifier.notify(n)());
      for (const n of [opened, signed, otherTenant]) {
        const copies = await copiesOf(fixture, n.id);
        expect(copies.length).toBeGreaterThanOrEqual(1);
        for (const copy of copies) expect(copy).toStrictEqual(asReceived(n));
      }
    },
  },
  {
    name: 'answers a notification sent again (a retry) as delivered, still the same notification',
    check: async (fixture) => {
      assertRight(await fixture.notifier.notify(signed)());
      assertRight(await fixture.notifier.notify(signed)());
      const copies = await copiesOf(fixture, signed.id);
      expect(copies.length).toBeGreaterThanOrEqual(1);
      for (const copy of copies) expect(copy).toStrictEqual(asReceived(signed));
    },
  },
  {
    name: 'does nothing until its task is run',
    check: (fixture) =>
      expectNothingUntilRun(fixture.notifier.notify(signed), () => copiesOf(fixture, signed.id)),
  },
  {
    name: 'answers an unavailable receiver with a retryable DeliveryError, never Right; delivers once it is back',
    check: async (fixture) => {
      await fixture.refuseNext('unavailable');
      expectDeliveryError(assertLeft(await fixture.notifier.notify(signed)()), true);
      expect(await fixture.received()).toHaveLength(0);
      assertRight(await fixture.notifier.notify(signed)());
      expect(await copiesOf(fixture, signed.id)).not.toHaveLength(0);
    },
  },
  {
    name: 'answers a refusal for good with a DeliveryError that is not retryable, so it is never attempted again',
    check: async (fixture) => {
      await fixture.refuseNext('permanent');
      expectDeliveryError(assertLeft(await fixture.notifier.notify(signed)()), false);
      expect(await fixture.received()).toHaveLength(0);
      assertRight(await fixture.notifier.notify(opened)());
      expect(await copiesOf(fixture, opened.id)).not.toHaveLength(0);
    },
  },
];

/**
 * The behaviour every `LifecycleNotifier` shares: at-least-once delivery, a Right only once the CRM has the
 * notification. Each adapter's test file calls this with a factory of a fresh notifier and its receiving end (the
 * in-memory CRM, a loopback webhook receiver), then adds its own tests below.
 */
export const describeLifecycleNotifierContract = (
  name: string,
  makeFresh: () => Promise<FreshLifecycleNotifier>,
): void => describeContract(`LifecycleNotifier contract: ${name}`, lifecycleNotifierContract, makeFresh);
