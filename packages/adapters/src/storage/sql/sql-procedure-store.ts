import { type DomainError, domainError, type ProcedureStore, type SignatureProcedure } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type Kysely, sql } from 'kysely';
import { storageFailure } from '../storage-failure.js';
import { JsonColumn } from './column-codecs.js';
import type { Database } from './database.js';
import { decodeRow } from './decode-row.js';
import { encodeProcedureBody, ProcedureBodyCodec } from './procedure-codec.js';
import type { SqlContext } from './sql-context.js';

// Written literally, not bound: a partial index is used only when the query's WHERE visibly implies the
// index's own predicate, which the planners cannot prove for a bound parameter.
const awaitingSigner = sql<boolean>`status in ('sent', 'opened', 'verified')`;

const decodeBody = (row: { readonly body: unknown }): E.Either<DomainError, SignatureProcedure> =>
  pipe(decodeRow(JsonColumn, 'procedure')(row.body), E.chain(decodeRow(ProcedureBodyCodec, 'procedure')));

const decodeBodies = E.traverseArray(decodeBody);

const columnsOf = (p: SignatureProcedure) => ({
  tenant_id: p.tenantId,
  quote_id: p.quoteId,
  token_hash: p.tokenHash,
  idempotency_key: p.idempotencyKey ?? null,
  status: p.status,
  created_at: p.createdAt.getTime(),
  deadline: p.deadline.getTime(),
  version: p.version,
  body: encodeProcedureBody(p),
});

/** Which unique key an insert that inserted nothing collided with. */
const conflictOf = async (db: Kysely<Database>, p: SignatureProcedure): Promise<DomainError> => {
  const found = (column: 'id' | 'token_hash', value: string) =>
    db.selectFrom('procedures').select('id').where(column, '=', value).executeTakeFirst();
  if ((await found('id', p.id)) !== undefined)
    return domainError('CONCURRENT_MODIFICATION', { reason: 'procedure id already stored' });
  if ((await found('token_hash', p.tokenHash)) !== undefined)
    return storageFailure('duplicate signing token hash');
  return domainError('CONCURRENT_MODIFICATION', { reason: 'idempotency key already used' });
};

const byDeadline = (a: SignatureProcedure, b: SignatureProcedure) =>
  a.deadline.getTime() - b.deadline.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const makeSqlProcedureStore = (context: SqlContext): ProcedureStore => {
  const findOne = (what: string, query: (db: Kysely<Database>) => Promise<{ body: unknown } | undefined>) =>
    pipe(
      context.run(what, query),
      TE.chainEitherK((row) =>
        row === undefined ? E.right(O.none) : E.map((p: SignatureProcedure) => O.some(p))(decodeBody(row)),
      ),
    );
  const select = (db: Kysely<Database>) => db.selectFrom('procedures').select('body');

  return {
    get: (id) => findOne('read procedure', (db) => select(db).where('id', '=', id).executeTakeFirst()),
    findByTokenHash: (tokenHash) =>
      findOne('find procedure by token', (db) =>
        select(db).where('token_hash', '=', tokenHash).executeTakeFirst(),
      ),
    findByIdempotencyKey: (tenantId, key) =>
      findOne('find procedure by idempotency key', (db) =>
        select(db).where('tenant_id', '=', tenantId).where('idempotency_key', '=', key).executeTakeFirst(),
      ),
    listByQuote: (tenantId, quoteId) =>
      pipe(
        context.run('list procedures of a quote', (db) =>
          select(db)
            .where('tenant_id', '=', tenantId)
            .where('quote_id', '=', quoteId)
            .orderBy('created_at')
            .orderBy('seq')
            .execute(),
        ),
        TE.chainEitherK(decodeBodies),
      ),
    // ON CONFLICT DO NOTHING instead of catching the unique violation: in PostgreSQL a failed statement
    // aborts the whole transaction, and a duplicate here is an expected outcome, not a failure.
    insert: (procedure) =>
      pipe(
        context.run('insert procedure', async (db) => {
          const inserted = await db
            .insertInto('procedures')
            .values({ id: procedure.id, ...columnsOf(procedure), claimed_until: null })
            .onConflict((conflict) => conflict.doNothing())
            .executeTakeFirst();
          return inserted.numInsertedOrUpdatedRows === 1n ? undefined : await conflictOf(db, procedure);
        }),
        TE.chainEitherK((conflict) => (conflict === undefined ? E.right(undefined) : E.left(conflict))),
      ),
    // The version in the WHERE clause makes the check and the write one statement: a concurrent writer
    // that committed first leaves this update matching no row.
    update: (procedure, expectedVersion) =>
      pipe(
        context.run('update procedure', async (db) => {
          const updated = await db
            .updateTable('procedures')
            .set(columnsOf(procedure))
            .where('id', '=', procedure.id)
            .where('version', '=', expectedVersion)
            .executeTakeFirst();
          if (updated.numUpdatedRows === 1n) return undefined;
          const stored = await db
            .selectFrom('procedures')
            .select('version')
            .where('id', '=', procedure.id)
            .executeTakeFirst();
          return stored === undefined
            ? domainError('PROCEDURE_NOT_FOUND')
            : domainError('CONCURRENT_MODIFICATION', {
                expectedVersion,
                storedVersion: Number(stored.version),
              });
        }),
        TE.chainEitherK((conflict) => (conflict === undefined ? E.right(undefined) : E.left(conflict))),
      ),
    // The claim is a lease written on the row (claimed_until), so it also holds across transactions; in
    // PostgreSQL, SKIP LOCKED lets a concurrent sweeper pass over the rows another sweeper is claiming
    // instead of queueing behind it. The partial index on (deadline, id) makes the cost grow with the
    // number of due procedures only.
    claimDue: (now, limit) =>
      pipe(
        context.run('claim due procedures', (db) =>
          db
            .updateTable('procedures')
            .set({ claimed_until: now.getTime() + context.claimLeaseMs })
            .where('id', 'in', (eb) =>
              eb
                .selectFrom('procedures')
                .select('id')
                .where(awaitingSigner)
                .where('deadline', '<=', now.getTime())
                .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<=', now.getTime())]))
                .orderBy('deadline')
                .orderBy('id')
                .limit(Math.max(0, limit))
                .$if(context.dialect === 'postgres', (query) => query.forUpdate().skipLocked()),
            )
            .returning('body')
            .execute(),
        ),
        TE.chainEitherK(decodeBodies),
        TE.map((claimed) => [...claimed].sort(byDeadline)),
      ),
    listAwaitingSigner: (now, limit) =>
      pipe(
        context.run('list procedures awaiting the signer', (db) =>
          select(db)
            .where(awaitingSigner)
            .where('deadline', '>', now.getTime())
            .orderBy('deadline')
            .orderBy('id')
            .limit(Math.max(0, limit))
            .execute(),
        ),
        TE.chainEitherK(decodeBodies),
      ),
  };
};
