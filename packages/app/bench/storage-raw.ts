import { randomBytes } from 'node:crypto';
import type { PgPool, RawSqlite } from './storage-bench-support.js';

/** What one send writes, as the storage writes it: a real procedure body and a real invitation message. */
export interface SendPayload {
  readonly body: string;
  readonly message: string;
}

const hex = () => randomBytes(32).toString('hex');

const SQLITE_WRITES = {
  balance:
    'update credit_balances set available = available - 1, reserved = reserved + 1 where tenant_id = ? returning available',
  ledger: `insert into ledger_entries (tenant_id, kind, procedure_id, quantity, order_reference, reason, at)
    values (?, 'reserved', ?, null, null, null, ?)`,
  procedure: `insert into procedures (id, tenant_id, quote_id, token_hash, idempotency_key, status, created_at,
    deadline, version, claimed_until, body) values (?, ?, ?, ?, null, 'pending', ?, ?, 1, null, ?)`,
  outbox: `insert into outbox (id, kind, message, status, attempts, next_attempt_at, created_at, delivered_at,
    last_error) values (?, 'email', ?, 'pending', 0, ?, ?, null, null)`,
};

/**
 * The raw baseline of a send on SQLite: one bare transaction (BEGIN IMMEDIATE, as the storage) doing the same
 * writes with the same driver: the balance row, a ledger entry, the procedure, the invitation.
 */
export const rawSqliteSender = (db: RawSqlite, payload: SendPayload, tenantId: string) => {
  db.prepare(
    `insert into credit_balances (tenant_id, purchased, available, reserved, captured)
     values (?, 1000000000, 1000000000, 0, 0) on conflict do nothing`,
  ).run(tenantId);
  const balance = db.prepare(SQLITE_WRITES.balance);
  const ledger = db.prepare(SQLITE_WRITES.ledger);
  const procedure = db.prepare(SQLITE_WRITES.procedure);
  const outbox = db.prepare(SQLITE_WRITES.outbox);
  return (): void => {
    const id = `raw-${hex().slice(0, 20)}`;
    const now = Date.now();
    db.exec('begin immediate');
    balance.get(tenantId);
    ledger.run(tenantId, id, now);
    procedure.run(id, tenantId, `rq-${id}`, hex(), now, now + 15 * 86_400_000, payload.body);
    outbox.run(`${id}.invitation`, payload.message, now, now);
    db.exec('commit');
  };
};

const PG_WRITES = {
  balance:
    'update credit_balances set available = available - 1, reserved = reserved + 1 where tenant_id = $1 returning available',
  ledger: `insert into ledger_entries (tenant_id, kind, procedure_id, quantity, order_reference, reason, at)
    values ($1, 'reserved', $2, null, null, null, $3)`,
  procedure: `insert into procedures (id, tenant_id, quote_id, token_hash, idempotency_key, status, created_at,
    deadline, version, claimed_until, body) values ($1, $2, $3, $4, null, 'pending', $5, $6, 1, null, $7)`,
  outbox: `insert into outbox (id, kind, message, status, attempts, next_attempt_at, created_at, delivered_at,
    last_error) values ($1, 'email', $2, 'pending', 0, $3, $4, null, null)`,
};

export const prepareRawPgTenants = async (pool: PgPool, tenantIds: ReadonlyArray<string>) => {
  for (const tenantId of tenantIds)
    await pool.query(
      `insert into credit_balances (tenant_id, purchased, available, reserved, captured)
       values ($1, 1000000000, 1000000000, 0, 0) on conflict do nothing`,
      [tenantId],
    );
};

/**
 * The raw baseline of a send on PostgreSQL: the same writes in one bare transaction on a pooled connection, each
 * an unnamed statement (parsed and planned at every run), or, for information, a named prepared statement.
 */
export const rawPgSend = async (
  pool: PgPool,
  payload: SendPayload,
  tenantId: string,
  statements: 'unnamed' | 'prepared' = 'unnamed',
): Promise<void> => {
  const client = await pool.connect();
  const write = (name: keyof typeof PG_WRITES, values: unknown[]) =>
    statements === 'prepared'
      ? client.query({ name: `raw_${name}`, text: PG_WRITES[name], values })
      : client.query(PG_WRITES[name], values);
  const id = `raw-${hex().slice(0, 20)}`;
  const now = Date.now();
  try {
    await client.query('begin');
    await write('balance', [tenantId]);
    await write('ledger', [tenantId, id, now]);
    await write('procedure', [id, tenantId, `rq-${id}`, hex(), now, now + 15 * 86_400_000, payload.body]);
    await write('outbox', [`${id}.invitation`, payload.message, now, now]);
    await client.query('commit');
  } finally {
    client.release();
  }
};

// The sweep's selection, written as the storage writes it so that the same partial index serves it.
const DUE_IDS = `select id from procedures where status in ('sent', 'opened', 'verified') and deadline <= `;
export const rawSqliteDueIds = (db: RawSqlite, now: number): number =>
  db.prepare(`${DUE_IDS} ? order by deadline, id`).all(now).length;
export const rawPgDueIds = async (pool: PgPool, now: number): Promise<number> =>
  (await pool.query(`${DUE_IDS} $1 order by deadline, id`, [now])).rows.length;
