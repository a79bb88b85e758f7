import type { SmsSender } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { failingChecks } from '../testing/contract-suite.js';
import { smsSenderContract } from './sms-sender.contract.js';
import { freshInMemorySmsSender } from './test-support/fresh-in-memory-sms-sender.js';

/** The full name of the one check whose name starts so. */
const check = (start: string): string => {
  const found = smsSenderContract.filter((c) => c.name.startsWith(start));
  if (found.length !== 1) throw new Error(`${found.length} checks start with "${start}"`);
  return found[0]!.name;
};

const failuresOf = (wrap: (inner: SmsSender) => SmsSender) =>
  failingChecks(smsSenderContract, freshInMemorySmsSender(wrap));

describe('the SmsSender contract itself', () => {
  it('passes the in-memory SMS sender', async () => {
    expect(await failuresOf((inner) => inner)).toStrictEqual([]);
  });

  it('fails a sender that cuts the text to one UCS-2 segment (70 characters)', async () => {
    const cutting = (inner: SmsSender): SmsSender => ({
      send: (sms) => inner.send({ ...sms, text: sms.text.slice(0, 70) }),
    });
    expect(await failuresOf(cutting)).toStrictEqual([
      check('sends an SMS to its number'),
      check('sends two SMS'),
      check('reports a number refused for good'),
      check('reports a provider unavailable'),
    ]);
  });

  it('fails a sender that answers the same provider id for every SMS', async () => {
    const oneId = (inner: SmsSender): SmsSender => ({
      send: (sms) =>
        pipe(
          inner.send(sms),
          TE.map(() => ({ providerMessageId: 'SM0' })),
        ),
    });
    expect(await failuresOf(oneId)).toStrictEqual([check('sends two SMS')]);
  });

  it('fails a sender that sends when the task is made, not when it is run', async () => {
    const eager = (inner: SmsSender): SmsSender => ({
      send: (sms) => {
        const sent = inner.send(sms)();
        return () => sent;
      },
    });
    expect(await failuresOf(eager)).toStrictEqual([check('sends nothing until its task is run')]);
  });

  it('fails a sender that calls every failure retryable', async () => {
    const alwaysRetry = (inner: SmsSender): SmsSender => ({
      send: (sms) =>
        pipe(
          inner.send(sms),
          TE.mapLeft((e) => ({ ...e, retryable: true })),
        ),
    });
    expect(await failuresOf(alwaysRetry)).toStrictEqual([check('reports a number refused for good')]);
  });

  it('fails a sender whose errors quote the text or the number', async () => {
    const quoting = (quote: 'text' | 'to') => (inner: SmsSender) => ({
      send: (sms: Parameters<SmsSender['send']>[0]) =>
        pipe(
          inner.send(sms),
          TE.mapLeft((e) => ({ ...e, detail: `provider said: ${sms[quote]}` })),
        ),
    });
    const refusals = [check('reports a number refused for good'), check('reports a provider unavailable')];
    expect(await failuresOf(quoting('text'))).toStrictEqual(refusals);
    expect(await failuresOf(quoting('to'))).toStrictEqual(refusals);
  });
});
