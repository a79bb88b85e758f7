import type { StorageError } from '@paraphe/domain';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type Kysely, sql } from 'kysely';
import { type FailureKind, failureOfKind } from '../storage-failure.js';
import type { Database } from './database.js';
import { succeedOnce } from './memoized-task.js';

/** One step of a schema's history; applied once, in order, and recorded in `schema_migrations`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: ReadonlyArray<string>;
}

export interface MigrationPlan {
  readonly begin: string;
  /** Run right after `begin`, before reading what is applied: serialises concurrent migrators. */
  readonly lock?: string;
  readonly createTable: string;
  readonly migrations: ReadonlyArray<Migration>;
}

/**
 * Applies the migrations not yet recorded, all in one transaction: a failure leaves the schema as it was.
 * Re-runnable: applied versions are skipped. Returns the versions applied by this run. `classify` tells whether a
 * failure is worth a retry (a refused connection is; a broken statement is not).
 */
export const runMigrations = (
  db: Kysely<Database>,
  plan: MigrationPlan,
  classify: (cause: unknown) => FailureKind = () => 'other',
  now: () => number = Date.now,
): TE.TaskEither<StorageError, ReadonlyArray<number>> =>
  TE.tryCatch(
    () =>
      db.connection().execute(async (connection) => {
        await sql.raw(plan.begin).execute(connection);
        try {
          if (plan.lock !== undefined) await sql.raw(plan.lock).execute(connection);
          await sql.raw(plan.createTable).execute(connection);
          const rows = await connection.selectFrom('schema_migrations').select('version').execute();
          const applied = new Set(rows.map((row) => Number(row.version)));
          const pending = [...plan.migrations]
            .sort((a, b) => a.version - b.version)
            .filter((migration) => !applied.has(migration.version));
          for (const migration of pending) {
            for (const statement of migration.statements) await sql.raw(statement).execute(connection);
            await connection
              .insertInto('schema_migrations')
              .values({ version: migration.version, name: migration.name, applied_at: now() })
              .execute();
          }
          await sql.raw('commit').execute(connection);
          return pending.map((migration) => migration.version);
        } catch (cause) {
          await sql
            .raw('rollback')
            .execute(connection)
            .catch(() => undefined);
          throw cause;
        }
      }),
    (cause) => failureOfKind(classify(cause), 'schema migration failed', cause),
  );

/**
 * `migrate` on demand, and `ready`: the same migration run once, before the first unit of work, shared by all; a
 * failed run (the server was down) is run again by the next unit of work.
 */
export const migrationsOnFirstUse = (
  db: Kysely<Database>,
  plan: MigrationPlan,
  classify?: (cause: unknown) => FailureKind,
) => {
  const migrate = () => runMigrations(db, plan, classify);
  const ready = succeedOnce(TE.map((): void => undefined)(migrate()));
  return { migrate, ready };
};
