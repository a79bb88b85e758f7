import type { DomainError, Storage } from '@paraphe/domain';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import type { Database } from '../sql/database.js';
import { migrationsOnFirstUse } from '../sql/migrations.js';
import type { FailureKind } from '../storage-failure.js';
import { makeSqlUnitOfWork } from '../sql/sql-unit-of-work.js';
import { DEFAULT_CLAIM_LEASE_MS } from '../storage-rules.js';
import { withNamedStatements } from './named-statements.js';
import { postgresMigrationPlan } from './postgres-migrations.js';

export type PostgresStorageOptions = (
  | { readonly connectionString: string; readonly maxConnections?: number }
  /** A pool the caller owns: `close()` leaves it open. */
  | { readonly pool: pg.Pool }
) & {
  /** How long `claimDue` keeps a claimed row from other claimers (default 5 minutes). */
  readonly claimLeaseMs?: number;
  /** Attempts of a unit of work that meets a deadlock or serialization failure (default 5). */
  readonly maxAttempts?: number;
  /**
   * Whether statements run as named prepared statements (default true; see named-statements.ts). Turn it off behind
   * a connection pooler that does not keep a server session per client (PgBouncer in transaction mode before 1.21).
   */
  readonly preparedStatements?: boolean;
};

export interface PostgresStorage extends Storage {
  /** Applies pending migrations now (otherwise the first unit of work does); re-runnable. */
  readonly migrate: () => TE.TaskEither<DomainError, ReadonlyArray<number>>;
  /** Ends the pool this storage created (a pool passed in stays open); units of work fail afterwards. */
  readonly close: () => Promise<void>;
}

/** 40001 serialization_failure and 40P01 deadlock_detected: the transaction may succeed if run again. */
const CONFLICTS = new Set(['40001', '40P01']);
const classifyPostgres = (cause: unknown): FailureKind =>
  typeof cause === 'object' && cause !== null && CONFLICTS.has(String((cause as { code?: unknown }).code))
    ? 'conflict'
    : 'other';

const poolFor = (options: PostgresStorageOptions): PostgresPool => {
  if ('pool' in options) {
    const borrowed = options.pool;
    // Kysely ends its pool on destroy; a borrowed pool belongs to the caller.
    return { connect: () => borrowed.connect(), end: async () => undefined, options: borrowed.options };
  }
  return new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
};

const preparing = (pool: PostgresPool, options: PostgresStorageOptions): PostgresPool =>
  (options.preparedStatements ?? true) ? withNamedStatements(pool) : pool;

/**
 * Storage in PostgreSQL, for several app instances sharing one database. Transactions run at READ
 * COMMITTED: the credit balance row is locked with SELECT … FOR UPDATE, procedure updates check their
 * version in the UPDATE itself, and claims use FOR UPDATE SKIP LOCKED; a deadlock or serialization
 * failure runs the whole unit of work again.
 */
export const makePostgresStorage = (options: PostgresStorageOptions): PostgresStorage => {
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: preparing(poolFor(options), options) }),
  });
  const { migrate, ready } = migrationsOnFirstUse(db, postgresMigrationPlan);
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
