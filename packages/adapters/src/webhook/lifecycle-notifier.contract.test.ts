import { type DeliveryError, deliveryError, type LifecycleNotifier } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { freshInMemoryNotifier } from '../crm/test-support/fresh-in-memory-crm.js';
import { failingChecks } from '../testing/contract-suite.js';
import { lifecycleNotifierContract } from './lifecycle-notifier.contract.js';

/** The full name of the one check whose name starts so. */
const check = (start: string): string => {
  const found = lifecycleNotifierContract.filter((c) => c.name.startsWith(start));
  if (found.length !== 1) throw new Error(`${found.length} checks start with "${start}"`);
  return found[0]!.name;
};

const failuresOf = (wrap: (inner: LifecycleNotifier) => LifecycleNotifier) =>
  failingChecks(lifecycleNotifierContract, freshInMemoryNotifier(wrap));

describe('the LifecycleNotifier contract itself', () => {
  it('passes the in-memory CRM', async () => {
    expect(await failuresOf((inner) => inner)).toStrictEqual([]);
  });

  it('fails a notifier that answers Right when the receiver did not take the notification', async () => {
    const optimistic = (inner: LifecycleNotifier): LifecycleNotifier => ({
      notify: (n) =>
        pipe(
          inner.notify(n),
          TE.alt(() => TE.right<DeliveryError, void>(undefined)),
        ),
    });
    expect(await failuresOf(optimistic)).toStrictEqual([
      check('answers an unavailable receiver'),
      check('answers a refusal for good'),
    ]);
  });

  it('fails a notifier that throws instead of answering Left', async () => {
    const throwing = (inner: LifecycleNotifier): LifecycleNotifier => ({
      notify: (n) => async () => {
        const result = await inner.notify(n)();
        if (E.isLeft(result)) throw new Error('HTTP 503');
        return result;
      },
    });
    expect(await failuresOf(throwing)).toStrictEqual([
      check('answers an unavailable receiver'),
      check('answers a refusal for good'),
    ]);
  });

  it('fails a notifier that calls every failure retryable, or none', async () => {
    const answering =
      (retryable: boolean) =>
      (inner: LifecycleNotifier): LifecycleNotifier => ({
        notify: (n) =>
          pipe(
            inner.notify(n),
            TE.mapLeft((e) => deliveryError(retryable, e.reason)),
          ),
      });
    expect(await failuresOf(answering(true))).toStrictEqual([check('answers a refusal for good')]);
    expect(await failuresOf(answering(false))).toStrictEqual([check('answers an unavailable receiver')]);
  });

  it('fails a notifier that answers some other error than a DeliveryError', async () => {
    const untyped = (inner: LifecycleNotifier): LifecycleNotifier => ({
      notify: (n) =>
        pipe(
          inner.notify(n),
          TE.mapLeft((e) => ({ code: 'CRM_FAILURE', retryable: e.retryable }) as unknown as DeliveryError),
        ),
    });
    expect(await failuresOf(untyped)).toStrictEqual([
      check('answers an unavailable receiver'),
      check('answers a refusal for good'),
    ]);
  });

  it('fails a notifier that sends instants to the second', async () => {
    const bySecond = (inner: LifecycleNotifier): LifecycleNotifier => ({
      notify: (n) => inner.notify({ ...n, at: new Date(Math.floor(n.at.getTime() / 1000) * 1000) }),
    });
    expect(await failuresOf(bySecond)).toStrictEqual([
      check('delivers a notification with every field'),
      check('delivers a decline with its reason'),
      check('delivers each notification'),
      check('answers a notification sent again'),
    ]);
  });

  it('fails a notifier that drops the reason, or the tenant', async () => {
    const reasonless = (inner: LifecycleNotifier): LifecycleNotifier => ({
      notify: ({ reason: _, ...n }) => inner.notify(n),
    });
    const oneTenant = (inner: LifecycleNotifier): LifecycleNotifier => ({
      notify: (n) => inner.notify({ ...n, tenantId: 'tenant-é' }),
    });
    const lost = [check('delivers a decline with its reason'), check('delivers each notification')];
    expect(await failuresOf(reasonless)).toStrictEqual(lost);
    expect(await failuresOf(oneTenant)).toStrictEqual(lost);
  });

  it('fails a notifier that delivers when the task is made, not when it is run', async () => {
    const eager = (inner: LifecycleNotifier): LifecycleNotifier => ({
      notify: (n) => {
        const delivered = inner.notify(n)();
        return () => delivered;
      },
    });
    expect(await failuresOf(eager)).toStrictEqual([check('does nothing until its task is run')]);
  });
});
