import type { OutboxRecord, OutboxStore, UnreadableRecord } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type Kysely, sql } from 'kysely';
import { unreadableRecord } from '../records/decode-row.js';
import {
  enqueuedMessages,
  outboxRecordFromRow,
  storableAttemptFailure,
  storableDelivery,
} from '../records/outbox-codec.js';
import { storageFailure } from '../storage-failure.js';
import { compiledStatement, type Slot } from './compiled-statement.js';
import type { Database } from './database.js';
import type { SqlContext } from './sql-context.js';

// Literal for the same reason as the procedures' due predicate: it must match the partial index's.
const isPending = sql<boolean>`status = 'pending'`;

const decodeRecords = E.traverseArray(outboxRecordFromRow);

/** Each row decoded on its own: one that does not decode is set apart, named, and never stops the others. */
const decodeEach = (rows: ReadonlyArray<{ readonly id: string }>) => {
  const records: OutboxRecord[] = [];
  const unreadable: UnreadableRecord[] = [];
  for (const row of rows) {
    const decoded = outboxRecordFromRow(row);
    if (E.isRight(decoded)) records.push(decoded.right);
    else unreadable.push(unreadableRecord('outbox-message', row.id, decoded.left));
  }
  return { records, unreadable };
};

/** After an update that matched nothing: unknown id is a failure, a delivered message is left as it is. */
const unknownUnlessPresent = async (db: Kysely<Database>, id: string) =>
  (await db.selectFrom('outbox').select('id').where('id', '=', id).executeTakeFirst()) === undefined
    ? storageFailure('unknown outbox message')
    : undefined;

const orFail = (error: ReturnType<typeof storageFailure> | undefined) =>
  error === undefined ? E.right(undefined) : E.left(error);

const outboxRow = (message: { readonly id: string; readonly kind: string }, json: string, now: Date) => ({
  id: message.id,
  kind: message.kind,
  message: json,
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
  created_at: slot(4),
  delivered_at: null,
  last_error: null,
});
// One message per enqueue is the common case (an invitation, a reminder): its statement is compiled once. Its first
// attempt is due at once, or, enqueued claimed, at the end of a lease.
const insertOneMessage = compiledStatement((db, slot) =>
  db
    .insertInto('outbox')
    .values(outboxSlots(slot))
    .onConflict((conflict) => conflict.column('id').doNothing()),
);

// A request's own delivery claims one message, then records it delivered: both compiled once, like the send's writes.
const claimOneById = compiledStatement((db, slot, dialect) =>
  db
    .updateTable('outbox')
    .set({ next_attempt_at: slot(1) })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox')
        .select('id')
        .where('id', '=', slot(0))
        .where(isPending)
        .where('next_attempt_at', '<=', slot(2))
        .$if(dialect === 'postgres', (query) => query.forUpdate().skipLocked()),
    )
    .returningAll(),
);
const markOneDelivered = compiledStatement((db, slot) =>
  db
    .updateTable('outbox')
    .set((eb) => ({ status: 'delivered', attempts: eb('attempts', '+', 1), delivered_at: slot(1) }))
    .where('id', '=', slot(0))
    .where('status', '<>', 'delivered'),
);

export const makeSqlOutboxStore = (context: SqlContext): OutboxStore => ({
  enqueue: (messages, now) => {
    if (messages.length === 0) return TE.right(undefined);
    // Messages that would not read back are refused before anything is sent (storable(), record-check.ts).
    const json = enqueuedMessages(messages, now);
    if (E.isLeft(json)) return TE.left(json.left);
    const rows = messages.map((message, i) => outboxRow(message, json.right[i]!, now));
    const only = rows.length === 1 ? rows[0] : undefined;
    if (only !== undefined) {
      // ON CONFLICT DO NOTHING: a message enqueued twice (same id) is queued once, whatever the count.
      const row = only;
      return context.write('enqueue outbox message', [
        {
          row: `outbox:${row.id}`,
          statement: insertOneMessage.boundTo(context, [
            row.id,
            row.kind,
            row.message,
            row.next_attempt_at,
            row.created_at,
          ]),
        },
      ]);
    }
    return context.run('enqueue outbox messages', async (db) => {
      await db
        .insertInto('outbox')
        .values(rows)
        .onConflict((conflict) => conflict.column('id').doNothing())
        .execute();
    });
  },
  enqueueClaimed: (message, now) => {
    const json = enqueuedMessages([message], now);
    if (E.isLeft(json)) return TE.left(json.left);
    const leasedUntil = new Date(now.getTime() + context.claimLeaseMs);
    // Run at once, on PostgreSQL too: whether the row was added (not already there) decides the answer.
    return context.runThen(
      'enqueue claimed outbox message',
      () =>
        insertOneMessage(context, [
          message.id,
          message.kind,
          json.right[0],
          leasedUntil.getTime(),
          now.getTime(),
        ]),
      (inserted): E.Either<never, O.Option<OutboxRecord>> =>
        E.right(
          inserted.numAffectedRows === 1n
            ? O.some({ message, status: 'pending', attempts: 0, nextAttemptAt: leasedUntil, createdAt: now })
            : O.none,
        ),
    );
  },
  // As for procedures: the claim is a lease (the next attempt moves to the end of it), and in PostgreSQL
  // SKIP LOCKED lets concurrent dispatchers take disjoint messages without waiting on each other. A row that does
  // not decode keeps its lease like the others, so the next claim passes over it instead of reading it again at once.
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
      TE.map((rows) => decodeEach([...rows].sort((a, b) => Number(a.seq) - Number(b.seq)))),
    ),
  claimByIds: (ids, now) => {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return TE.right({ records: [], unreadable: [] });
    if (unique.length === 1)
      return context.runThen(
        'claim outbox messages by id',
        async () =>
          (await claimOneById(context, [unique[0], now.getTime() + context.claimLeaseMs, now.getTime()]))
            .rows as ReadonlyArray<{ readonly id: string }>,
        (rows) => E.right(decodeEach(rows)),
      );
    return pipe(
      context.run('claim outbox messages by id', (db) =>
        db
          .updateTable('outbox')
          .set({ next_attempt_at: now.getTime() + context.claimLeaseMs })
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('outbox')
              .select('id')
              .where('id', 'in', unique)
              .where(isPending)
              .where('next_attempt_at', '<=', now.getTime())
              .$if(context.dialect === 'postgres', (query) => query.forUpdate().skipLocked()),
          )
          .returningAll()
          .execute(),
      ),
      TE.map((rows) => decodeEach([...rows].sort((a, b) => Number(a.seq) - Number(b.seq)))),
    );
  },
  oldestDue: (now) =>
    context.runThen(
      'read the oldest due outbox message',
      (db) =>
        db
          .selectFrom('outbox')
          .select((eb) => eb.fn.min<number | string | null>('next_attempt_at').as('due'))
          .where(isPending)
          .where('next_attempt_at', '<=', now.getTime())
          .executeTakeFirst(),
      (row) => E.right(row?.due == null ? O.none : O.some(new Date(Number(row.due)))),
    ),
  markDelivered: (id, now) =>
    pipe(
      TE.fromEither(storableDelivery(now)),
      TE.chain(() =>
        context.run('mark outbox message delivered', async (db) => {
          const updated = await markOneDelivered(context, [id, now.getTime()]);
          return updated.numAffectedRows === 1n ? undefined : unknownUnlessPresent(db, id);
        }),
      ),
      TE.chainEitherK(orFail),
    ),
  markAttemptFailed: (id, error, nextAttemptAt) =>
    pipe(
      TE.fromEither(storableAttemptFailure(error, nextAttemptAt)),
      TE.chain(() =>
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
      ),
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
