/** The PostgreSQL storage's connection settings (kept apart from the pool so its declarations name no driver type). */
export interface PostgresConnectionOptions {
  readonly maxConnections?: number;
  /** Connecting, or waiting for a free connection of a full pool (default 5 s; 0: no limit). */
  readonly connectTimeoutMs?: number;
  /**
   * The server cancels a statement running longer (default 30 s; 0: no limit); the client stops waiting 2 s later,
   * and drops the connection, should the server say nothing at all.
   */
  readonly statementTimeoutMs?: number;
  /** The server ends a session left inside a transaction without a statement for longer (default 60 s; 0: never). */
  readonly idleInTransactionTimeoutMs?: number;
}
