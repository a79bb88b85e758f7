import type { OutboxMessage, OutboxStore } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type Kysely, sql } from 'kysely';
import { storageFailure } from '../storage-failure.js';
import { compiledStatement, type Slot } from './compiled-statement.js';
import type { Database } from './database.js';
import { outboxRecordFromRow } from '../records/outbox-codec.js';
import type { SqlContext } from './sql-context.js';

// Literal for the same reason as the procedures' due predicate: it must match the partial index's.
const isPending = sql<boolean>`status = 'pending'`;

const decodeRecords = E.traverseArray(outboxRecordFromRow);

/** After an update that matched nothing: unknown id is a failure, a delivered message is left as it is. */
const unknownUnlessPresent = async (db: Kysely<Database>, id: string) =>
  (await db.selectFrom('outbox').select('id').where('id', '=', id).executeTakeFirst()) === undefined
    ? storageFailure('unknown outbox message')
    : undefined;

const orFail = (error: ReturnType<typeof storageFailure> | undefined) =>
  error === undefined ? E.right(undefined) : E.left(error);

const outboxRow = (message: OutboxMessage, now: Date) => ({
  id: message.id,
  kind: message.kind,
  message: JSON.stringify(message),
  status: 'pending',
  attempts: 0,
  next_attempt_at: now.getTime(),
  created_at: now.getTime(),
  delivered_at: null,
  last_error: null,
});
const outboxSlots = (slot: Slot) => ({
  id: slot(0),
  kind: slot(1),
  message: slot(2),
  status: 'pending',
  attempts: 0,
  next_attempt_at: slot(3),
  created_at: slot(3),
  delivered_at: null,
  last_error: null,
});
// One message per enqueue is the common case (an invitation, a reminder): its statement is compiled once.
const insertOneMessage = compiledStatement((db, slot) =>
  db
    .insertInto('outbox')
    .values(outboxSlots(slot))
    .onConflict((conflict) => conflict.column('id').doNothing()),
);

export const makeSqlOutboxStore = (context: SqlContext): OutboxStore => ({
  enqueue: (messages, now) => {
    if (messages.length === 0) return TE.right(undefined);
    const only = messages.length === 1 ? messages[0] : undefined;
    if (only !== undefined) {
      // ON CONFLICT DO NOTHING: a message enqueued twice (same id) is queued once, whatever the count.
      const row = outboxRow(only, now);
      return context.write('enqueue outbox message', [
        {
          row: `outbox:${row.id}`,
          statement: insertOneMessage.boundTo(context, [row.id, row.kind, row.message, row.next_attempt_at]),
        },
      ]);
    }
    return context.run('enqueue outbox messages', async (db) => {
      await db
        .insertInto('outbox')
        .values(messages.map((message) => outboxRow(message, now)))
        .onConflict((conflict) => conflict.column('id').doNothing())
        .execute();
    });
  },
  // As for procedures: the claim is a lease (the next attempt moves to the end of it), and in PostgreSQL
  // SKIP LOCKED lets concurrent dispatchers take disjoint messages without waiting on each other.
  claimDue: (now, limit) =>
    pipe(
      context.run('claim due outbox messages', (db) =>
        db
          .updateTable('outbox')
          .set({ next_attempt_at: now.getTime() + context.claimLeaseMs })
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('outbox')
              .select('id')
              .where(isPending)
              .where('next_attempt_at', '<=', now.getTime())
              .orderBy('next_attempt_at')
              .orderBy('seq')
              .limit(Math.max(0, limit))
              .$if(context.dialect === 'postgres', (query) => query.forUpdate().skipLocked()),
          )
          .returningAll()
          .execute(),
      ),
      // RETURNING has no order; the claimed messages come back oldest (first enqueued) first.
      TE.map((rows) => [...rows].sort((a, b) => Number(a.seq) - Number(b.seq))),
      TE.chainEitherK(decodeRecords),
    ),
  markDelivered: (id, now) =>
    pipe(
      context.run('mark outbox message delivered', async (db) => {
        const updated = await db
          .updateTable('outbox')
          .set((eb) => ({
            status: 'delivered',
            attempts: eb('attempts', '+', 1),
            delivered_at: now.getTime(),
          }))
          .where('id', '=', id)
          .where('status', '<>', 'delivered')
          .executeTakeFirst();
        return updated.numUpdatedRows === 1n ? undefined : unknownUnlessPresent(db, id);
      }),
      TE.chainEitherK(orFail),
    ),
  markAttemptFailed: (id, error, nextAttemptAt) =>
    pipe(
      context.run('record failed outbox attempt', async (db) => {
        const updated = await db
          .updateTable('outbox')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1),
            last_error: error,
            ...(nextAttemptAt === undefined
              ? { status: 'failed' }
              : { status: 'pending', next_attempt_at: nextAttemptAt.getTime() }),
          }))
          .where('id', '=', id)
          // A late failure report never undoes a delivery that was already recorded.
          .where('status', '<>', 'delivered')
          .executeTakeFirst();
        return updated.numUpdatedRows === 1n ? undefined : unknownUnlessPresent(db, id);
      }),
      TE.chainEitherK(orFail),
    ),
  list: () =>
    pipe(
      context.run('list outbox', (db) =>
        db.selectFrom('outbox').selectAll().orderBy('created_at').orderBy('seq').execute(),
      ),
      TE.chainEitherK(decodeRecords),
    ),
});
