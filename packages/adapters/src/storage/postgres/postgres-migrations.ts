import type { MigrationPlan } from '../sql/migrations.js';

// Times are epoch milliseconds in bigint columns so that both dialects run the same queries; the JSON
// documents are jsonb, which an operator can query.
const initialSchema = [
  `create table tenants (
    tenant_id text primary key,
    settings jsonb not null
  )`,
  `create table credit_balances (
    tenant_id text primary key,
    purchased bigint not null,
    available bigint not null check (available >= 0),
    reserved bigint not null check (reserved >= 0),
    captured bigint not null check (captured >= 0),
    check (purchased = available + reserved + captured)
  )`,
  `create table ledger_entries (
    seq bigint generated always as identity primary key,
    tenant_id text not null,
    kind text not null check (kind in ('purchased', 'reserved', 'captured', 'released')),
    procedure_id text,
    quantity integer,
    order_reference text,
    reason text,
    at bigint not null
  )`,
  'create index ledger_entries_by_tenant on ledger_entries (tenant_id, seq)',
  `create table procedures (
    seq bigint generated always as identity primary key,
    id text not null unique,
    tenant_id text not null,
    quote_id text not null,
    token_hash text not null unique,
    idempotency_key text,
    status text not null,
    created_at bigint not null,
    deadline bigint not null,
    version integer not null,
    claimed_until bigint,
    body jsonb not null
  )`,
  `create unique index procedures_by_idempotency_key on procedures (tenant_id, idempotency_key)
    where idempotency_key is not null`,
  'create index procedures_by_quote on procedures (tenant_id, quote_id, created_at)',
  `create index procedures_awaiting_by_deadline on procedures (deadline, id)
    where status in ('sent', 'opened', 'verified')`,
  `create table documents (
    procedure_id text not null,
    kind text not null check (kind in ('original', 'signed', 'certificate')),
    bytes bytea not null,
    byte_length integer not null,
    primary key (procedure_id, kind)
  )`,
  `create table outbox (
    seq bigint generated always as identity primary key,
    id text not null unique,
    kind text not null,
    message jsonb not null,
    status text not null check (status in ('pending', 'delivered', 'failed')),
    attempts integer not null,
    next_attempt_at bigint not null,
    created_at bigint not null,
    delivered_at bigint,
    last_error text
  )`,
  `create index outbox_pending_by_next_attempt on outbox (next_attempt_at, seq) where status = 'pending'`,
  'create index outbox_by_created on outbox (created_at, seq)',
];

// Several signers (issue #18): each signer's link finds the procedure, so every signer's token hash is a key of its
// own. `procedures.token_hash` stays signer 0's (and unique): the one-signer lookups and the update's identity
// check keep their index. The foreign key is checked at commit: an insert's writes go as one statement
// (SqlContext.write), and when its procedure row is refused (an idempotency key already used) its tokens would
// otherwise fail the statement with a foreign key error before the refusal is told; the unit of work is rolled back
// either way. The index comes before the backfill: PostgreSQL refuses to build one on a table with foreign key
// checks still pending in the transaction.
const signerTokens = [
  `create table signer_tokens (
    token_hash text primary key,
    procedure_id text not null references procedures (id) deferrable initially deferred
  )`,
  'create index signer_tokens_by_procedure on signer_tokens (procedure_id)',
  'insert into signer_tokens (token_hash, procedure_id) select token_hash, id from procedures',
];

export const postgresMigrationPlan: MigrationPlan = {
  begin: 'begin',
  // A transaction-scoped advisory lock: app instances starting together migrate one after the other,
  // and the lock goes away with the transaction even if the process dies. The key is arbitrary.
  // The statements after it run without the sessions' statement timeout (30 s by default, made for the app's
  // short statements): a future migration building an index on a large table may take longer. The wait for
  // the lock keeps it, so an instance waiting on another's long migration fails (retryable) and tries again.
  lock: `select pg_advisory_xact_lock(7061726170686501), set_config('statement_timeout', '0', true)`,
  createTable: `create table if not exists schema_migrations (
    version integer primary key,
    name text not null,
    applied_at bigint not null
  )`,
  migrations: [
    { version: 1, name: 'initial schema', statements: initialSchema },
    { version: 2, name: 'every signer token finds its procedure', statements: signerTokens },
  ],
};
