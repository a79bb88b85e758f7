import type { CreditBalance, LedgerStore, StorageError, TenantId } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type Kysely, sql } from 'kysely';
import { decodeRow } from '../records/decode-row.js';
import {
  BalanceRow,
  type LedgerRow,
  ledgerEntryFromRow,
  storableBalance,
  storableEntries,
} from '../records/ledger-codec.js';
import { storageFailure } from '../storage-failure.js';
import { balanceAfter, tenantOfEntries } from '../storage-rules.js';
import { compiledStatement } from './compiled-statement.js';
import type { Database } from './database.js';
import type { SqlContext } from './sql-context.js';

// The tenant's settings come along (as JSON text in both dialects, null without a tenants row): a send reads them
// next, and the scalar subquery neither locks the tenants row nor changes what FOR UPDATE locks (the balance row).
const selectBalance = compiledStatement((db, slot, dialect) =>
  db
    .selectFrom('credit_balances')
    .select(['purchased', 'available', 'reserved', 'captured'])
    .select(
      (dialect === 'postgres'
        ? sql<string | null>`(select settings::text from tenants where tenant_id = ${slot(0)})`
        : sql<string | null>`(select settings from tenants where tenant_id = ${slot(0)})`
      ).as('settings'),
    )
    .where('tenant_id', '=', slot(0))
    .$if(dialect === 'postgres', (query) => query.forUpdate()),
);

const ledgerRow = (slot: (i: number) => unknown, from: number) => ({
  tenant_id: slot(from),
  kind: slot(from + 1),
  procedure_id: slot(from + 2),
  quantity: slot(from + 3),
  order_reference: slot(from + 4),
  reason: slot(from + 5),
  at: slot(from + 6),
});
const ledgerArgs = (row: LedgerRow) => [
  row.tenant_id,
  row.kind,
  row.procedure_id,
  row.quantity,
  row.order_reference,
  row.reason,
  row.at,
];

const updateBalance = (db: Kysely<Database>, tenantId: TenantId, next: CreditBalance) =>
  db.updateTable('credit_balances').set(next).where('tenant_id', '=', tenantId);
const balanceSlots = (slot: (i: number) => unknown) =>
  ({
    purchased: slot(1),
    available: slot(2),
    reserved: slot(3),
    captured: slot(4),
  }) as CreditBalance;
const balanceArgs = (tenantId: TenantId, next: CreditBalance) => [
  tenantId,
  next.purchased,
  next.available,
  next.reserved,
  next.captured,
];

const updateBalanceRow = compiledStatement((db, slot) => updateBalance(db, slot(0), balanceSlots(slot)));
const insertOneEntry = compiledStatement((db, slot) =>
  db.insertInto('ledger_entries').values(ledgerRow(slot, 0) as LedgerRow),
);

/** Several entries at once (a rare case: a send or a signature appends one): written now, in one statement on PostgreSQL. */
const writeMany = async (
  context: SqlContext,
  tenantId: TenantId,
  next: CreditBalance,
  rows: ReadonlyArray<LedgerRow>,
): Promise<void> => {
  const db = context.db;
  if (context.dialect === 'postgres') {
    // SQLite's CTEs cannot write; PostgreSQL moves the balance and records the entries in one round trip.
    await db
      .with('moved', (cte) => updateBalance(cte as unknown as Kysely<Database>, tenantId, next))
      .insertInto('ledger_entries')
      .values([...rows])
      .execute();
    return;
  }
  await updateBalanceRow(context, balanceArgs(tenantId, next));
  await db
    .insertInto('ledger_entries')
    .values([...rows])
    .execute();
};

const decodeBalance = decodeRow(BalanceRow, 'credit balance');

export const makeSqlLedgerStore = (context: SqlContext): LedgerStore => {
  // The balances this unit of work holds locked, as it last wrote them: until it ends nobody else can change
  // them, so a second lock (a send locks to decide, then appends) needs no round trip.
  const locked = new Map<TenantId, CreditBalance>();
  // Names each entry's row for `SqlContext.write`: entries are new rows, never the same one.
  let entriesWritten = 0;
  const readBalance = async (tenantId: TenantId) => {
    const row = (await selectBalance(context, [tenantId])).rows[0];
    if (row === undefined) return undefined;
    const { settings, ...balance } = row;
    context.prefetchedSettings.set(tenantId, settings);
    return balance;
  };

  /**
   * Why insert when the row is missing: `SELECT … FOR UPDATE` locks only rows that exist, so two first
   * writers of a new tenant would both read "empty" unlocked. Creating the zero row gives every writer a row
   * to queue on; the row exists almost always, so the select comes first. In SQLite, BEGIN IMMEDIATE already
   * holds the database's one write lock.
   */
  const lockBalance = (tenantId: TenantId): TE.TaskEither<StorageError, CreditBalance> => {
    const held = locked.get(tenantId);
    if (held !== undefined) return TE.right(held);
    return context.runThen(
      'lock credit balance',
      async (db) => {
        const existing = await readBalance(tenantId);
        if (existing !== undefined) return existing;
        await db
          .insertInto('credit_balances')
          .values({ tenant_id: tenantId, purchased: 0, available: 0, reserved: 0, captured: 0 })
          .onConflict((conflict) => conflict.column('tenant_id').doNothing())
          .execute();
        return readBalance(tenantId).then((row) => {
          if (row === undefined) throw new Error('credit balance row missing after insert');
          return row;
        });
      },
      (row) => {
        const balance = decodeBalance(row);
        if (E.isRight(balance)) locked.set(tenantId, balance.right);
        return balance;
      },
    );
  };

  return {
    balanceForUpdate: lockBalance,
    append: (entries) => async () => {
      const tenantId = tenantOfEntries(entries);
      if (E.isLeft(tenantId) || tenantId.right === undefined) return E.map(() => undefined)(tenantId);
      const tenant = tenantId.right;
      // Entries (and a balance) that would not read back are refused before anything is sent (record-check.ts).
      const storable = storableEntries(entries);
      if (E.isLeft(storable)) return storable;
      const rows = storable.right;
      const balance = await lockBalance(tenant)();
      if (E.isLeft(balance)) return balance;
      const next = E.chain(storableBalance)(balanceAfter(balance.right, entries));
      if (E.isLeft(next)) return next;
      const only = rows.length === 1 ? rows[0] : undefined;
      const written =
        only === undefined
          ? await context.run('append ledger entries', () => writeMany(context, tenant, next.right, rows))()
          : await context.write('append ledger entry', [
              {
                row: `credit_balances:${tenant}`,
                statement: updateBalanceRow.boundTo(context, balanceArgs(tenant, next.right)),
                check: (updated) =>
                  updated === 1 ? undefined : storageFailure('credit balance row missing'),
              },
              {
                row: `ledger_entries:${++entriesWritten}`,
                statement: insertOneEntry.boundTo(context, ledgerArgs(only)),
              },
            ])();
      if (E.isRight(written)) locked.set(tenant, next.right);
      return written;
    },
    entries: (tenantId) =>
      pipe(
        context.run('read ledger entries', (db) =>
          db
            .selectFrom('ledger_entries')
            .selectAll()
            .where('tenant_id', '=', tenantId)
            .orderBy('seq')
            .execute(),
        ),
        TE.chainEitherK(E.traverseArray(ledgerEntryFromRow)),
      ),
  };
};
