import { balanceOf, emptyBalance, type LedgerEntry, type Storage } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { expect, it } from 'vitest';
import type { StorageUnderTest } from '../storage.contract.js';
import { at, minutes, T0 } from '../test-support/procedure-fixtures.js';
import { assertLeftTag, failureName, run, runRight } from '../test-support/run-work.js';
import { simulateSend } from '../test-support/send-simulation.js';

const purchase = (quantity: number, tenantId = 'tenant-a', when = T0): LedgerEntry => ({
  kind: 'purchased',
  tenantId,
  quantity,
  orderReference: `order-${quantity}`,
  at: when,
});

const entriesAndBalance = (storage: Storage, tenantId = 'tenant-a') =>
  runRight(storage, (s) =>
    pipe(
      TE.Do,
      TE.bind('entries', () => s.ledger.entries(tenantId)),
      TE.bind('balance', () => s.ledger.balanceForUpdate(tenantId)),
    ),
  );

export const ledgerContract = (storage: StorageUnderTest): void => {
  it('gives the empty balance and no entries for an unknown tenant', async () => {
    expect(await entriesAndBalance(storage(), 'nobody')).toStrictEqual({
      entries: [],
      balance: emptyBalance,
    });
  });

  it('appends entries oldest first and moves the balance with them', async () => {
    const entries: ReadonlyArray<LedgerEntry> = [
      purchase(3),
      { kind: 'reserved', tenantId: 'tenant-a', procedureId: 'p-1', at: at(T0, 1) },
      { kind: 'reserved', tenantId: 'tenant-a', procedureId: 'p-2', at: at(T0, 2) },
      { kind: 'captured', tenantId: 'tenant-a', procedureId: 'p-1', at: at(T0, 3) },
      { kind: 'released', tenantId: 'tenant-a', procedureId: 'p-2', reason: 'expired', at: at(T0, 4) },
    ];
    await runRight(storage(), (s) => s.ledger.append(entries.slice(0, 2)));
    await runRight(storage(), (s) => s.ledger.append(entries.slice(2)));
    await runRight(storage(), (s) => s.ledger.append([purchase(7, 'tenant-b')]));
    const { entries: stored, balance } = await entriesAndBalance(storage());
    expect(stored).toStrictEqual(entries);
    expect(balance).toStrictEqual(balanceOf(entries));
    expect(balance).toStrictEqual({ purchased: 3, available: 2, reserved: 0, captured: 1 });
    expect((await entriesAndBalance(storage(), 'tenant-b')).balance.available).toBe(7);
  });

  it('accepts an empty append', async () => {
    await runRight(storage(), (s) => s.ledger.append([]));
    expect((await entriesAndBalance(storage())).entries).toStrictEqual([]);
  });

  it('refuses an append that would spend a credit nobody has, and keeps nothing of it', async () => {
    assertLeftTag(
      await run(storage(), (s) =>
        s.ledger.append([{ kind: 'reserved', tenantId: 'tenant-a', procedureId: 'p-1', at: T0 }]),
      ),
      'StorageCreditRefused',
    );
    expect(await entriesAndBalance(storage())).toStrictEqual({ entries: [], balance: emptyBalance });
  });

  it('refuses an append mixing tenants', async () => {
    assertLeftTag(
      await run(storage(), (s) => s.ledger.append([purchase(1), purchase(1, 'tenant-b')])),
      'StorageBroken',
    );
  });

  it('lets concurrent units of work spend each credit once (balanceForUpdate locks)', async () => {
    await runRight(storage(), (s) => s.ledger.append([purchase(3)]));
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        run(storage(), (s) => simulateSend(s, 'tenant-a', `p-${i}`, at(T0, minutes(i)))),
      ),
    );
    expect(results.filter(E.isRight)).toHaveLength(3);
    // The send itself refuses (createProcedure, a DomainError), having read the balance locked.
    for (const failed of results.filter(E.isLeft))
      expect(failureName(failed.left)).toBe('NO_CREDIT_AVAILABLE');
    const { entries, balance } = await entriesAndBalance(storage());
    expect(balance).toStrictEqual({ purchased: 3, available: 0, reserved: 3, captured: 0 });
    expect(balanceOf(entries)).toStrictEqual(balance);
  });
};
