import type { Generated } from 'kysely';

/**
 * The tables as both dialects hold them. Times the queries compare (deadlines, next attempts, claims) are
 * epoch milliseconds in a 64-bit integer column in both dialects, so one set of queries binds the same
 * parameters everywhere; PostgreSQL returns 64-bit integers as strings, which the row codecs accept.
 */
export interface Database {
  schema_migrations: SchemaMigrationTable;
  tenants: TenantTable;
  credit_balances: CreditBalanceTable;
  ledger_entries: LedgerEntryTable;
  procedures: ProcedureTable;
  signer_tokens: SignerTokenTable;
  documents: DocumentTable;
  outbox: OutboxTable;
}

/** A 64-bit integer: written as a number, read back as a number (SQLite) or a string (pg). */
type Int64 = number | string;

export interface SchemaMigrationTable {
  version: number;
  name: string;
  applied_at: Int64;
}

export interface TenantTable {
  tenant_id: string;
  /** JSON text (SQLite) or jsonb (PostgreSQL, read back parsed). */
  settings: unknown;
}

export interface CreditBalanceTable {
  tenant_id: string;
  purchased: Int64;
  available: Int64;
  reserved: Int64;
  captured: Int64;
}

export interface LedgerEntryTable {
  seq: Generated<Int64>;
  tenant_id: string;
  kind: string;
  procedure_id: string | null;
  quantity: number | null;
  order_reference: string | null;
  reason: string | null;
  at: Int64;
}

export interface ProcedureTable {
  seq: Generated<Int64>;
  id: string;
  tenant_id: string;
  quote_id: string;
  token_hash: string;
  idempotency_key: string | null;
  status: string;
  created_at: Int64;
  deadline: Int64;
  version: number;
  /** Until when a sweeper's claim keeps other sweepers away (epoch ms); null when never claimed. */
  claimed_until: Int64 | null;
  /** The whole procedure, events included, as JSON with ISO dates. */
  body: unknown;
}

/** Every signer's token hash, signer 0's included: what a signer's link finds their procedure by. */
export interface SignerTokenTable {
  token_hash: string;
  procedure_id: string;
}

export interface DocumentTable {
  procedure_id: string;
  kind: string;
  bytes: Uint8Array;
  byte_length: number;
}

export interface OutboxTable {
  seq: Generated<Int64>;
  id: string;
  kind: string;
  message: unknown;
  status: string;
  attempts: number;
  next_attempt_at: Int64;
  created_at: Int64;
  delivered_at: Int64 | null;
  last_error: string | null;
}
