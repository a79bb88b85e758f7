import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { makePostgresStorage, type PostgresStorage } from '../postgres/postgres-storage.js';
import type { FreshStorage } from '../storage.contract.js';

const base = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  database: process.env.PGDATABASE ?? 'test',
};
const candidateUsers = process.env.PGUSER === undefined ? ['postgres', 'root'] : [process.env.PGUSER];

/** The connection settings of the test server, or `undefined` when none answers. */
export const findPostgres = async (): Promise<pg.ClientConfig | undefined> => {
  for (const user of candidateUsers) {
    const client = new pg.Client({ ...base, user, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return { ...base, user };
    } catch {
      // Try the next user.
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return undefined;
};

/**
 * A suite that needs the test server: `body` gets its connection settings; without a server the suite holds one
 * test, skipped outside CI and failing under CI.
 */
export const describeOnPostgres = (
  name: string,
  config: pg.ClientConfig | undefined,
  body: (config: pg.ClientConfig) => void,
): void => {
  describe(name, () => (config === undefined ? requirePostgresUnderCi(name) : body(config)));
};

/** Integration tests skip when the server is absent, except under CI where its absence is a failure. */
const requirePostgresUnderCi = (name: string): void => {
  const underCi = process.env.CI === 'true';
  it.skipIf(!underCi)(
    `${name}: PostgreSQL must be reachable (it is not, at ${base.host}:${base.port})`,
    () => {
      expect.fail(`PostgreSQL is not reachable at ${base.host}:${base.port}/${base.database}`);
    },
  );
};

export interface SchemaScope {
  readonly schema: string;
  /** A pool whose connections see only this schema. */
  readonly pool: (max?: number) => pg.Pool;
  readonly drop: () => Promise<void>;
}

/** A fresh schema (`paraphe_test_<random>`) selected through search_path, dropped afterwards. */
export const createSchema = async (config: pg.ClientConfig): Promise<SchemaScope> => {
  const schema = `paraphe_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(config);
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const pools: pg.Pool[] = [];
  return {
    schema,
    pool: (max = 10) => {
      const pool = new pg.Pool({ ...config, max, options: `-c search_path=${schema}` });
      pools.push(pool);
      return pool;
    },
    drop: async () => {
      await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
      const client = new pg.Client(config);
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
};

/** A storage on a fresh schema; closing it drops the schema. */
export const freshPostgresStorage = async (
  config: pg.ClientConfig,
): Promise<FreshStorage & { storage: PostgresStorage }> => {
  const scope = await createSchema(config);
  const storage = makePostgresStorage({ pool: scope.pool() });
  return {
    storage,
    close: async () => {
      await storage.close();
      await scope.drop();
    },
  };
};

/**
 * A connection string for `config` whose sessions see only `schema` and carry `applicationName` (which
 * `terminateBackends` looks for), as a CRM would configure one app instance.
 */
export const connectionStringFor = (
  config: pg.ClientConfig,
  schema: string,
  applicationName = 'paraphe',
): string => {
  const { host = '127.0.0.1', port = 5432, database = 'test', user = 'postgres' } = config;
  const options = encodeURIComponent(`-c search_path=${schema}`);
  return `postgresql://${user}@${host}:${port}/${database}?options=${options}&application_name=${encodeURIComponent(applicationName)}`;
};

/**
 * Ends every server session named `applicationName` with pg_terminate_backend, as an operator or a failover
 * would, and waits (up to 1 s each) until they are gone. Returns how many there were.
 */
export const terminateBackends = async (
  config: pg.ClientConfig,
  applicationName: string,
): Promise<number> => {
  const admin = new pg.Client(config);
  await admin.connect();
  try {
    const { rows } = await admin.query<{ ended: number }>(
      // Materialized, so that only the sessions named are ever passed to pg_terminate_backend.
      `with named as materialized (
         select pid from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()
       )
       select (count(*) filter (where pg_terminate_backend(pid, 1000)))::int as ended from named`,
      [applicationName],
    );
    return rows[0]?.ended ?? 0;
  } finally {
    await admin.end();
  }
};
