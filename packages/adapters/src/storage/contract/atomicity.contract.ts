import { domainError, type Storage, type StorageError, type StorageSession } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { expect, it } from 'vitest';
import type { StorageUnderTest } from '../storage.contract.js';
import { emailMessage } from '../test-support/outbox-fixtures.js';
import {
  activeSettings,
  at,
  days,
  minutes,
  sentProcedure,
  T0,
  tokenHashOf,
  withSigner,
} from '../test-support/procedure-fixtures.js';
import { assertLeftTag, run, runRight } from '../test-support/run-work.js';

/** Everything a reader can see, across every sub-store, for the ids the tests use. */
const snapshot = (storage: Storage) =>
  runRight(storage, (s) =>
    pipe(
      TE.Do,
      TE.bind('settings', () => s.tenants.getSettings('tenant-a')),
      TE.bind('balance', () => s.ledger.balanceForUpdate('tenant-a')),
      TE.bind('entries', () => s.ledger.entries('tenant-a')),
      TE.bind('p1', () => s.procedures.get('p-1')),
      TE.bind('p2', () => s.procedures.get('p-2')),
      TE.bind('p2ByToken', () => s.procedures.findByTokenHash(tokenHashOf('p-2'))),
      TE.bind('p2ByKey', () => s.procedures.findByIdempotencyKey('tenant-a', 'key-2')),
      TE.bind('quote', () => s.procedures.listByQuote('tenant-a', 'quote-1')),
      TE.bind('awaiting', () => s.procedures.listAwaitingSigner(T0, 10)),
      TE.bind('document', () => s.documents.get('p-1', 'original')),
      TE.bind('outbox', () => s.outbox.list()),
    ),
  );

const seed = async (storage: Storage) => {
  await runRight(storage, (s) =>
    pipe(
      s.tenants.saveSettings('tenant-a', activeSettings('Acme')),
      TE.chain(() =>
        s.ledger.append([
          { kind: 'purchased', tenantId: 'tenant-a', quantity: 5, orderReference: 'o', at: T0 },
        ]),
      ),
      TE.chain(() => s.procedures.insert(sentProcedure({ id: 'p-1', quoteId: 'quote-1', lifetimeDays: 1 }))),
      TE.chain(() => s.documents.put('p-1', 'original', Uint8Array.from([1, 2, 3]))),
      TE.chain(() => s.outbox.enqueue([emailMessage('m-1')], T0)),
    ),
  );
};

/** Writes to every sub-store, including claims, so that a rollback has something to undo everywhere. */
const writeEverywhere = (s: StorageSession): TE.TaskEither<StorageError, void> => {
  const p1 = sentProcedure({ id: 'p-1', quoteId: 'quote-1', lifetimeDays: 1 });
  const p2 = sentProcedure({ id: 'p-2', quoteId: 'quote-1', idempotencyKey: 'key-2' });
  return pipe(
    s.tenants.saveSettings('tenant-a', activeSettings('Changed')),
    TE.chain(() => s.ledger.append([{ kind: 'reserved', tenantId: 'tenant-a', procedureId: 'p-2', at: T0 }])),
    TE.chain(() => s.procedures.insert(p2)),
    TE.chain(() =>
      s.procedures.update(
        { ...withSigner(p1, 0, { remindersSent: 1 }), version: p1.version + 1 },
        p1.version,
      ),
    ),
    TE.chain(() => s.procedures.claimDue(at(T0, days(2)), 10)),
    TE.chain(() => s.documents.put('p-1', 'original', Uint8Array.from([9]))),
    TE.chain(() => s.outbox.enqueue([emailMessage('m-2')], T0)),
    TE.chain(() => s.outbox.claimDue(T0, 10)),
    TE.chain(() => s.outbox.markDelivered('m-1', T0)),
  );
};

export const atomicityContract = (storage: StorageUnderTest): void => {
  it('keeps nothing of a unit of work that returns Left', async () => {
    await seed(storage());
    const before = await snapshot(storage());
    const refusal = domainError('FORBIDDEN');
    const result = await run(storage(), (s) =>
      pipe(
        writeEverywhere(s),
        TE.chainW(() => TE.left(refusal)),
      ),
    );
    expect(result).toStrictEqual({ _tag: 'Left', left: refusal });
    expect(await snapshot(storage())).toStrictEqual(before);
  });

  it('keeps nothing of a unit of work that rejects, and reports StorageBroken instead of throwing', async () => {
    await seed(storage());
    const before = await snapshot(storage());
    const result = await run(storage(), (s) =>
      pipe(
        writeEverywhere(s),
        TE.chain(() => () => Promise.reject(new Error('boom'))),
      ),
    );
    assertLeftTag(result, 'StorageBroken');
    expect(await snapshot(storage())).toStrictEqual(before);
  });

  it('keeps nothing of a unit of work that throws synchronously', async () => {
    await seed(storage());
    const before = await snapshot(storage());
    const result = await run(storage(), () => {
      throw new Error('bug');
    });
    assertLeftTag(result, 'StorageBroken');
    expect(await snapshot(storage())).toStrictEqual(before);
  });

  it('the claims of a rolled-back unit of work are given back', async () => {
    await seed(storage());
    await run(storage(), (s) =>
      pipe(
        s.procedures.claimDue(at(T0, days(2)), 10),
        TE.chain(() => s.outbox.claimDue(T0, 10)),
        TE.chainW(() => TE.left(domainError('FORBIDDEN'))),
      ),
    );
    expect(
      (await runRight(storage(), (s) => s.procedures.claimDue(at(T0, days(2)), 10))).records,
    ).toHaveLength(1);
    expect((await runRight(storage(), (s) => s.outbox.claimDue(T0, 10))).records).toHaveLength(1);
  });

  it('commits everything of a unit of work that returns Right, and its value', async () => {
    await seed(storage());
    const result = await run(storage(), (s) =>
      pipe(
        writeEverywhere(s),
        TE.map(() => 42),
      ),
    );
    expect(result).toStrictEqual({ _tag: 'Right', right: 42 });
    const after = await snapshot(storage());
    expect(after.balance.reserved).toBe(1);
    expect(after.quote.map((p) => p.id)).toStrictEqual(['p-1', 'p-2']);
    expect(after.outbox.map((r) => r.status)).toStrictEqual(['delivered', 'pending']);
  });

  it('isolates units of work: a reader never sees another unit of work half done', async () => {
    await seed(storage());
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const writer = run(storage(), (s) =>
      pipe(
        s.tenants.saveSettings('tenant-a', activeSettings('Half')),
        TE.chain(() => TE.fromTask(() => gate)),
        TE.chainW(() => TE.left(domainError('FORBIDDEN'))),
      ),
    );
    const reader = run(storage(), (s) => s.tenants.getSettings('tenant-a'));
    setTimeout(release, minutes(0) + 20);
    await writer;
    const read = await reader;
    expect(read).toMatchObject({ _tag: 'Right', right: { _tag: 'Some', value: { tenantName: 'Acme' } } });
  });
};
