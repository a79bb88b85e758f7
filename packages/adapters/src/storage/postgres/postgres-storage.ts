import type { Storage, StorageError } from '@paraphe/domain';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import type pg from 'pg';
import type { Database } from '../sql/database.js';
import { migrationsOnFirstUse } from '../sql/migrations.js';
import { makeSqlUnitOfWork } from '../sql/sql-unit-of-work.js';
import { DEFAULT_CLAIM_LEASE_MS } from '../storage-rules.js';
import { withNamedStatements } from './named-statements.js';
import type { PostgresConnectionOptions } from './postgres-connection-options.js';
import { classifyPostgres } from './postgres-failures.js';
import { postgresMigrationPlan } from './postgres-migrations.js';
import { guardedPool, newPostgresPool } from './postgres-pool.js';

export type PostgresStorageOptions = (
  | ({ readonly connectionString: string } & PostgresConnectionOptions)
  /**
   * A pool the caller owns: `close()` leaves it open. Its timeouts and keepalive are the caller's to set (see
   * postgres-pool.ts for the ones a connection string gets); the storage listens for its errors all the same.
   */
  | { readonly pool: pg.Pool }
) & {
  /** How long `claimDue` keeps a claimed row from other claimers (default 5 minutes). */
  readonly claimLeaseMs?: number;
  /**
   * Attempts of a unit of work that meets a deadlock, a serialization failure, or a lost or refused connection
   * before COMMIT (default 5).
   */
  readonly maxAttempts?: number;
  /**
   * Whether statements run as named prepared statements (default true; see named-statements.ts). Turn it off behind
   * a connection pooler that does not keep a server session per client (PgBouncer in transaction mode before 1.21).
   */
  readonly preparedStatements?: boolean;
};

export interface PostgresStorage extends Storage {
  /** Applies pending migrations now (otherwise the first unit of work does); re-runnable. */
  readonly migrate: () => TE.TaskEither<StorageError, ReadonlyArray<number>>;
  /** Ends the pool this storage created (a pool passed in stays open); units of work fail afterwards. */
  readonly close: () => Promise<void>;
}

// Kysely ends its pool on destroy; a borrowed pool belongs to the caller.
const poolFor = (options: PostgresStorageOptions): PostgresPool =>
  'pool' in options
    ? guardedPool(options.pool, false)
    : guardedPool(newPostgresPool(options.connectionString, options), true);

const preparing = (pool: PostgresPool, options: PostgresStorageOptions): PostgresPool =>
  (options.preparedStatements ?? true) ? withNamedStatements(pool) : pool;

/**
 * Storage in PostgreSQL, for several app instances sharing one database. Transactions run at READ
 * COMMITTED: the credit balance row is locked with SELECT … FOR UPDATE, procedure updates check their
 * version in the UPDATE itself, and claims use FOR UPDATE SKIP LOCKED; a deadlock, a serialization
 * failure or a lost connection before COMMIT runs the whole unit of work again. A lost connection or a
 * restarting server is an answer (a retryable `STORAGE_FAILURE`, or `STORAGE_OUTCOME_UNKNOWN` when it
 * happened during COMMIT), never a crash, and the next call connects again.
 */
export const makePostgresStorage = (options: PostgresStorageOptions): PostgresStorage => {
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: preparing(poolFor(options), options) }),
  });
  const { migrate, ready } = migrationsOnFirstUse(db, postgresMigrationPlan, classifyPostgres);
  const unitOfWork = makeSqlUnitOfWork({
    db,
    dialect: 'postgres',
    begin: 'begin',
    classify: classifyPostgres,
    maxAttempts: options.maxAttempts ?? 5,
    claimLeaseMs: options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS,
    beforeEach: ready,
  });
  return { unitOfWork, migrate, close: () => db.destroy() };
};
