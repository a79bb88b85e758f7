import type { CreditBalance, DomainError, LedgerStore, TenantId } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { Kysely } from 'kysely';
import { balanceAfter, tenantOfEntries } from '../storage-rules.js';
import type { Database } from './database.js';
import { decodeRow } from './decode-row.js';
import { BalanceRow, ledgerEntryFromRow, ledgerEntryToRow } from './ledger-codec.js';
import type { SqlContext } from './sql-context.js';

export const makeSqlLedgerStore = (context: SqlContext): LedgerStore => {
  // The balances this unit of work holds locked, as it last wrote them: until it ends nobody else can change
  // them, so a second lock (a send locks to decide, then appends) needs no round trip.
  const locked = new Map<TenantId, CreditBalance>();
  const selectBalance = (db: Kysely<Database>, tenantId: TenantId) =>
    db
      .selectFrom('credit_balances')
      .select(['purchased', 'available', 'reserved', 'captured'])
      .where('tenant_id', '=', tenantId)
      .$if(context.dialect === 'postgres', (query) => query.forUpdate())
      .executeTakeFirst();

  /**
   * Why insert when the row is missing: `SELECT … FOR UPDATE` locks only rows that exist, so two first
   * writers of a new tenant would both read "empty" unlocked. Creating the zero row gives every writer a row
   * to queue on; the row exists almost always, so the select comes first. In SQLite, BEGIN IMMEDIATE already
   * holds the database's one write lock.
   */
  const lockBalance = (tenantId: TenantId): TE.TaskEither<DomainError, CreditBalance> => {
    const held = locked.get(tenantId);
    if (held !== undefined) return TE.right(held);
    return pipe(
      context.run('lock credit balance', async (db) => {
        const existing = await selectBalance(db, tenantId);
        if (existing !== undefined) return existing;
        await db
          .insertInto('credit_balances')
          .values({ tenant_id: tenantId, purchased: 0, available: 0, reserved: 0, captured: 0 })
          .onConflict((conflict) => conflict.column('tenant_id').doNothing())
          .execute();
        return selectBalance(db, tenantId).then((row) => {
          if (row === undefined) throw new Error('credit balance row missing after insert');
          return row;
        });
      }),
      TE.chainEitherK(decodeRow(BalanceRow, 'credit balance')),
      TE.map((balance) => {
        locked.set(tenantId, balance);
        return balance;
      }),
    );
  };

  return {
    balanceForUpdate: lockBalance,
    append: (entries) =>
      pipe(
        TE.fromEither(tenantOfEntries(entries)),
        TE.chain((tenantId) =>
          tenantId === undefined
            ? TE.right(undefined)
            : pipe(
                lockBalance(tenantId),
                TE.chainEitherK((balance) => balanceAfter(balance, entries)),
                TE.chain((next) =>
                  context.run('append ledger entries', async (db) => {
                    await db
                      .updateTable('credit_balances')
                      .set(next)
                      .where('tenant_id', '=', tenantId)
                      .execute();
                    await db.insertInto('ledger_entries').values(entries.map(ledgerEntryToRow)).execute();
                    locked.set(tenantId, next);
                  }),
                ),
              ),
        ),
      ),
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
