import {
  type ProcedureStore,
  type RecordBatch,
  type SignatureProcedure,
  type StorageError,
  storageConcurrentChange,
  storageRecordMissing,
  type UnreadableRecord,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type Kysely, sql } from 'kysely';
import { JsonColumn } from '../records/column-codecs.js';
import { decodeRow, unreadableRecord } from '../records/decode-row.js';
import { ProcedureBodyCodec, procedureBody } from '../records/procedure-codec.js';
import { storageFailure } from '../storage-failure.js';
import { identityChange, identityOf, signerTokensChange, signerTokensOf } from '../storage-rules.js';
import { compiledStatement, type Slot } from './compiled-statement.js';
import type { Database } from './database.js';
import type { SqlContext } from './sql-context.js';

// Written literally, not bound: a partial index is used only when the query's WHERE visibly implies the
// index's own predicate, which the planners cannot prove for a bound parameter.
const awaitingSigner = sql<boolean>`status in ('sent', 'opened', 'verified')`;

const decodeBody = (row: { readonly body: unknown }): E.Either<StorageError, SignatureProcedure> =>
  pipe(decodeRow(JsonColumn, 'procedure')(row.body), E.chain(decodeRow(ProcedureBodyCodec, 'procedure')));

const decodeBodies = E.traverseArray(decodeBody);

/** Each row decoded on its own: one that does not decode is set apart, named, and never stops the others. */
const decodeEach = (rows: ReadonlyArray<{ readonly id: string; readonly body: unknown }>) => {
  const records: SignatureProcedure[] = [];
  const unreadable: UnreadableRecord[] = [];
  for (const row of rows) {
    const decoded = decodeBody(row);
    if (E.isRight(decoded)) records.push(decoded.right);
    else unreadable.push(unreadableRecord('procedure', row.id, decoded.left));
  }
  return { records, unreadable };
};

const columnsOf = (p: SignatureProcedure, body: string) => ({
  tenant_id: p.tenantId,
  quote_id: p.quoteId,
  token_hash: identityOf(p).tokenHash,
  idempotency_key: p.idempotencyKey ?? null,
  status: p.status,
  created_at: p.createdAt.getTime(),
  deadline: p.deadline.getTime(),
  version: p.version,
  body,
});
type Columns = ReturnType<typeof columnsOf>;
const columnSlots = (slot: Slot, from: number): Columns => ({
  tenant_id: slot(from),
  quote_id: slot(from + 1),
  token_hash: slot(from + 2),
  idempotency_key: slot(from + 3),
  status: slot(from + 4),
  created_at: slot(from + 5),
  deadline: slot(from + 6),
  version: slot(from + 7),
  body: slot(from + 8),
});
const columnArgs = (c: Columns) => [
  c.tenant_id,
  c.quote_id,
  c.token_hash,
  c.idempotency_key,
  c.status,
  c.created_at,
  c.deadline,
  c.version,
  c.body,
];

// The statements of the steps every procedure goes through, compiled once (see compiled-statement.ts).
const selectBody = (db: Kysely<Database>) => db.selectFrom('procedures').select('body');
const bodyById = compiledStatement((db, slot) => selectBody(db).where('id', '=', slot(0)));
// Any signer's token: signer_tokens holds them all, signer 0's included.
const bodyByTokenHash = compiledStatement((db, slot) =>
  db
    .selectFrom('signer_tokens')
    .innerJoin('procedures', 'procedures.id', 'signer_tokens.procedure_id')
    .select('procedures.body')
    .where('signer_tokens.token_hash', '=', slot(0)),
);
const tokensOfProcedure = compiledStatement((db, slot) =>
  db.selectFrom('signer_tokens').select('token_hash').where('procedure_id', '=', slot(0)),
);
const bodyByIdempotencyKey = compiledStatement((db, slot) =>
  selectBody(db).where('tenant_id', '=', slot(0)).where('idempotency_key', '=', slot(1)),
);
const bodiesByQuote = compiledStatement((db, slot) =>
  selectBody(db)
    .where('tenant_id', '=', slot(0))
    .where('quote_id', '=', slot(1))
    .orderBy('created_at')
    .orderBy('seq'),
);
const insertProcedure = compiledStatement((db, slot) =>
  db
    .insertInto('procedures')
    .values({ id: slot(0), ...columnSlots(slot, 1), claimed_until: null })
    .onConflict((conflict) => conflict.doNothing()),
);
const insertSignerToken = compiledStatement((db, slot) =>
  db
    .insertInto('signer_tokens')
    .values({ token_hash: slot(0), procedure_id: slot(1) })
    .onConflict((conflict) => conflict.doNothing()),
);
// A transition changes these columns only. The identity (storage-rules.ts) stays out of the SET, which spares SQLite
// rewriting its index entries (token hash, quote, idempotency key) at every step: 35–40 % of an update and its
// commit among 100,000 and 1,000,000 procedures. It sits in the WHERE instead: an update changing it writes nothing.
const updateWhereUnchanged = (db: Kysely<Database>, slot: Slot) =>
  db
    .updateTable('procedures')
    .set({ status: slot(7), deadline: slot(8), version: slot(9), body: slot(10) })
    .where('id', '=', slot(0))
    .where('version', '=', slot(1))
    .where('tenant_id', '=', slot(2))
    .where('quote_id', '=', slot(3))
    .where('token_hash', '=', slot(4))
    .where('idempotency_key', 'is not distinct from', slot(5))
    .where('created_at', '=', slot(6));
// A procedure of several signers has its tokens read first (see `update`).
const updateProcedure = compiledStatement(updateWhereUnchanged);
// With one signer, the WHERE also holds that the stored procedure has no other signer's token, so that an update
// cutting several signers to one writes nothing, without a read first (an index lookup in the same statement).
const updateOneSignerProcedure = compiledStatement((db, slot) =>
  updateWhereUnchanged(db, slot).where((eb) =>
    eb.not(
      eb.exists(
        eb
          .selectFrom('signer_tokens')
          .select('token_hash')
          .where('procedure_id', '=', slot(0))
          .where('token_hash', '<>', slot(4)),
      ),
    ),
  ),
);
const updateArgs = (p: SignatureProcedure, body: string, expectedVersion: number) => {
  const identity = identityOf(p);
  return [
    p.id,
    expectedVersion,
    identity.tenantId,
    identity.quoteId,
    identity.tokenHash,
    identity.idempotencyKey,
    identity.createdAt,
    p.status,
    p.deadline.getTime(),
    p.version,
    body,
  ];
};

/** Why an update wrote nothing: no such procedure, another version, or a change of its identity. */
const updateRefusal = async (
  db: Kysely<Database>,
  p: SignatureProcedure,
  expectedVersion: number,
): Promise<StorageError> => {
  const stored = await db
    .selectFrom('procedures')
    .select(['version', 'tenant_id', 'quote_id', 'token_hash', 'idempotency_key', 'created_at'])
    .where('id', '=', p.id)
    .executeTakeFirst();
  if (stored === undefined) return storageRecordMissing('procedure not stored');
  const storedVersion = Number(stored.version);
  if (storedVersion !== expectedVersion)
    return storageConcurrentChange('procedure version moved on', { expectedVersion, storedVersion });
  const storedIdentity = {
    tenantId: stored.tenant_id,
    quoteId: stored.quote_id,
    tokenHash: stored.token_hash,
    idempotencyKey: stored.idempotency_key,
    createdAt: Number(stored.created_at),
  };
  const changed = identityChange(storedIdentity, identityOf(p));
  if (changed !== undefined) return changed;
  const tokens = await db
    .selectFrom('signer_tokens')
    .select('token_hash')
    .where('procedure_id', '=', p.id)
    .execute();
  return (
    signerTokensChange(
      tokens.map((row) => row.token_hash),
      signerTokensOf(p),
    ) ?? storageFailure('procedure update wrote no row')
  );
};

/** Which unique key an insert that inserted nothing collided with. */
const conflictOf = async (db: Kysely<Database>, p: SignatureProcedure): Promise<StorageError> => {
  const found = (column: 'id' | 'token_hash', value: string) =>
    db.selectFrom('procedures').select('id').where(column, '=', value).executeTakeFirst();
  if ((await found('id', p.id)) !== undefined) return storageConcurrentChange('procedure id already stored');
  if ((await found('token_hash', identityOf(p).tokenHash)) !== undefined)
    return storageFailure('duplicate signing token hash');
  return storageConcurrentChange('idempotency key already used');
};

const byDeadline = (a: SignatureProcedure, b: SignatureProcedure) =>
  a.deadline.getTime() - b.deadline.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const makeSqlProcedureStore = (context: SqlContext): ProcedureStore => {
  const findOne = (
    what: string,
    statement: typeof bodyById,
    args: ReadonlyArray<unknown>,
  ): TE.TaskEither<StorageError, O.Option<SignatureProcedure>> =>
    context.runThen(
      what,
      async () => (await statement(context, args)).rows[0],
      (row) =>
        row === undefined ? E.right(O.none) : E.map((p: SignatureProcedure) => O.some(p))(decodeBody(row)),
    );
  const select = selectBody;

  return {
    get: (id) => findOne('read procedure', bodyById, [id]),
    findByTokenHash: (tokenHash) => findOne('find procedure by token', bodyByTokenHash, [tokenHash]),
    findByIdempotencyKey: (tenantId, key) =>
      findOne('find procedure by idempotency key', bodyByIdempotencyKey, [tenantId, key]),
    listByQuote: (tenantId, quoteId) =>
      context.runThen(
        'list procedures of a quote',
        async () => (await bodiesByQuote(context, [tenantId, quoteId])).rows,
        decodeBodies,
      ),
    // ON CONFLICT DO NOTHING instead of catching the unique violation: in PostgreSQL a failed statement
    // aborts the whole transaction, and a duplicate here is an expected outcome, not a failure.
    // A procedure that would not read back is refused before anything is sent (storable(), record-check.ts).
    // Every signer's token goes in signer_tokens after the row (its foreign key): a token another procedure holds
    // (or one this procedure holds twice) inserts nothing there, and that refusal fails the unit of work, which rolls
    // the procedure's row back with it (on PostgreSQL the writes are one statement, doomed as a whole).
    insert: (procedure) => {
      const body = procedureBody(procedure);
      if (E.isLeft(body)) return TE.left(body.left);
      return context.write('insert procedure', [
        {
          row: `procedures:${procedure.id}`,
          statement: insertProcedure.boundTo(context, [
            procedure.id,
            ...columnArgs(columnsOf(procedure, body.right)),
          ]),
          check: (inserted) => (inserted === 1 ? undefined : conflictOf(context.db, procedure)),
        },
        ...signerTokensOf(procedure).map((tokenHash) => ({
          row: `signer_tokens:${tokenHash}`,
          statement: insertSignerToken.boundTo(context, [tokenHash, procedure.id]),
          check: (inserted: number) =>
            inserted === 1 ? undefined : storageFailure('duplicate signing token hash'),
        })),
      ]);
    },
    // The version in the WHERE clause makes the check and the write one statement: a concurrent writer
    // that committed first leaves this update matching no row.
    update: (procedure, expectedVersion) => {
      const body = procedureBody(procedure);
      if (E.isLeft(body)) return TE.left(body.left);
      return pipe(
        context.run('update procedure', async (db) => {
          // The signers' tokens were written once, at insert; a procedure of several signers reads them back to
          // refuse a change (one signer: the token_hash column in the WHERE below already holds it).
          if (procedure.signers.length > 1) {
            const stored = await tokensOfProcedure(context, [procedure.id]);
            const tokens = (stored.rows as ReadonlyArray<{ readonly token_hash: string }>).map(
              (row) => row.token_hash,
            );
            if (tokens.length > 0) {
              const changed = signerTokensChange(tokens, signerTokensOf(procedure));
              if (changed !== undefined) return changed;
            }
          }
          const statement = procedure.signers.length > 1 ? updateProcedure : updateOneSignerProcedure;
          const updated = await statement(context, updateArgs(procedure, body.right, expectedVersion));
          return updated.numAffectedRows === 1n ? undefined : updateRefusal(db, procedure, expectedVersion);
        }),
        TE.chainEitherK((conflict) => (conflict === undefined ? E.right(undefined) : E.left(conflict))),
      );
    },
    // The claim is a lease written on the row (claimed_until), so it also holds across transactions; in
    // PostgreSQL, SKIP LOCKED lets a concurrent sweeper pass over the rows another sweeper is claiming
    // instead of queueing behind it. The partial index on (deadline, id) makes the cost grow with the
    // number of due procedures only. A row that does not decode keeps its lease like the others, so the next claim
    // passes over it instead of reading it again at once.
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
            .returning(['id', 'body'])
            .execute(),
        ),
        TE.map(decodeEach),
        TE.map(
          ({ records, unreadable }): RecordBatch<SignatureProcedure> => ({
            records: records.sort(byDeadline),
            unreadable,
          }),
        ),
      ),
    oldestOverdue: (now) =>
      context.runThen(
        'read the oldest overdue procedure',
        (db) =>
          db
            .selectFrom('procedures')
            .select((eb) => eb.fn.min<number | string | null>('deadline').as('deadline'))
            .where(awaitingSigner)
            .where('deadline', '<=', now.getTime())
            .executeTakeFirst(),
        (row) => E.right(row?.deadline == null ? O.none : O.some(new Date(Number(row.deadline)))),
      ),
    listAwaitingSigner: (now, limit) =>
      pipe(
        context.run('list procedures awaiting the signer', (db) =>
          select(db)
            .select('id')
            .where(awaitingSigner)
            .where('deadline', '>', now.getTime())
            .orderBy('deadline')
            .orderBy('id')
            .limit(Math.max(0, limit))
            .execute(),
        ),
        TE.map(decodeEach),
      ),
  };
};
