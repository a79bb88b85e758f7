import type { EventEmitter } from 'node:events';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { CancellableClient, CancellingPool } from './named-statements.js';
import type { PostgresConnectionOptions } from './postgres-connection-options.js';

/** How long making a connection, or waiting for a free one in a full pool, may take. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** How long one statement may run on the server (its `statement_timeout`). */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
/** How long a session may sit in an open transaction without sending anything (a stalled or frozen process). */
export const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;
/**
 * The client gives up on an answer this long after the server's own statement timeout would have answered: only a
 * silent server or a dead network gets there.
 */
const READ_TIMEOUT_MARGIN_MS = 2_000;
/** TCP keepalive probes on an idle connection after this long, so a peer gone without a word is noticed. */
const KEEP_ALIVE_INITIAL_DELAY_MS = 10_000;

/** A pool of connections with the timeouts above and TCP keepalive. */
export const newPostgresPool = (connectionString: string, options: PostgresConnectionOptions): pg.Pool => {
  const statementTimeout = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  // pg sends a setting only when it is not 0, and a timeout of 0 means none on either side.
  return new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout === 0 ? 0 : statementTimeout + READ_TIMEOUT_MARGIN_MS,
    idle_in_transaction_session_timeout:
      options.idleInTransactionTimeoutMs ?? DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEP_ALIVE_INITIAL_DELAY_MS,
  });
};

const listenedTo = new WeakSet<object>();

/**
 * A lost connection is reported by the queries it fails (pg rejects every query sent or queued on it, and every
 * later one on that client), and pg-pool drops the client: on the pool when it sat idle, when it is released
 * otherwise (it is no longer `_queryable`). What is left is the 'error' event pg emits as well, on the client or,
 * for an idle one, on the pool, which crashes the process when nobody listens. So this listens, once per emitter.
 */
const listenOnce = (emitter: EventEmitter): void => {
  if (listenedTo.has(emitter)) return;
  listenedTo.add(emitter);
  emitter.on('error', () => undefined);
};

/**
 * pg's `query_timeout` rejects the query but leaves it running on the connection, whose next statement (the
 * ROLLBACK, the next borrower's BEGIN) would queue behind it: end the connection instead, so that pg-pool drops it.
 */
const endAfterReadTimeout = (client: pg.PoolClient, result: Promise<unknown>): void => {
  result.catch((cause: unknown) => {
    if (cause instanceof Error && cause.message === 'Query read timeout')
      void client.end().catch(() => undefined);
  });
};

/**
 * The pool Kysely uses: every client it hands out, and the pool itself, has an 'error' listener (see `listenOnce`),
 * and a client whose answer timed out is ended. `owned`: `end` ends the pool (a borrowed pool stays open).
 */
export const guardedPool = (pool: pg.Pool, owned: boolean): PostgresPool => {
  listenOnce(pool);
  // One wrapper per client, for as long as the client lives: Kysely keeps its connection objects by client.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient & CancellableClient => ({
    query: ((statement: unknown, parameters?: unknown) => {
      const result = client.query(statement as string, parameters as unknown[]);
      endAfterReadTimeout(client, result);
      return result;
    }) as unknown as PostgresPoolClient['query'],
    release: (destroy) => client.release(destroy),
    // Kysely 0.29 reads the backend's process id to cancel a query (0: it asks the server); 0.28 does not.
    get processID() {
      return (client as CancellableClient).processID ?? 0;
    },
  });
  const guarded: PostgresPool & CancellingPool = {
    options: pool.options,
    end: async () => {
      if (owned) await pool.end();
    },
    connect: async () => {
      const client = await pool.connect();
      listenOnce(client);
      let wrapper = wrappers.get(client);
      if (wrapper === undefined) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
  };
  return guarded;
};
