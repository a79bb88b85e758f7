import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** Distinct statement texts one storage names; a multi-row insert makes a text per row count, so it is bounded. */
export const DEFAULT_MAX_NAMED_STATEMENTS = 200;

/** What Kysely 0.29 reads of a client and a pool to cancel a query; Kysely 0.28's types do not name them. */
export interface CancellableClient {
  readonly processID?: number | null;
}
export interface CancellingPool {
  readonly options?: unknown;
  readonly Client?: unknown;
}

/**
 * A pool for Kysely whose clients run each statement that has parameters as a named prepared statement: the server
 * parses its text once per connection and, after a few runs, reuses a generic plan, where an unnamed statement is
 * parsed and planned at every run (that was more than half of a send's server time). The name is a digest of the
 * text, so that two storages on one borrowed pool agree on it. Texts past `maxNames` run unnamed, as do statements
 * without parameters (BEGIN, COMMIT, migrations), for which the simple protocol is cheaper.
 */
export const withNamedStatements = (
  pool: PostgresPool,
  maxNames = DEFAULT_MAX_NAMED_STATEMENTS,
): PostgresPool => {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < maxNames) {
      name = `paraphe_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
      names.set(text, name);
    }
    return name;
  };
  const clients = new WeakMap<PostgresPoolClient, PostgresPoolClient>();
  const naming = (client: PostgresPoolClient): PostgresPoolClient => {
    const driver = client as unknown as pg.PoolClient;
    const query = (statement: unknown, parameters?: ReadonlyArray<unknown>): unknown => {
      const name =
        typeof statement === 'string' && parameters !== undefined && parameters.length > 0
          ? nameOf(statement)
          : undefined;
      return name === undefined
        ? driver.query(statement as string, parameters as unknown[])
        : driver.query({ name, text: statement as string, values: parameters as unknown[] });
    };
    const named: PostgresPoolClient & CancellableClient = {
      query: query as PostgresPoolClient['query'],
      release: (destroy) => client.release(destroy),
      // Kysely 0.29 reads the backend's process id to cancel a query (0: it asks the server); 0.28 does not.
      get processID() {
        return (client as CancellableClient).processID ?? 0;
      },
    };
    return named;
  };
  const { options, Client } = pool as CancellingPool;
  const namingPool: PostgresPool & CancellingPool = {
    options,
    ...(Client === undefined ? {} : { Client }),
    end: () => pool.end(),
    connect: async () => {
      const client = await pool.connect();
      let named = clients.get(client);
      if (named === undefined) {
        named = naming(client);
        clients.set(client, named);
      }
      return named;
    },
  };
  return namingPool;
};
