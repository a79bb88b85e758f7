import type { StorageSession } from '@paraphe/domain';
import type { SqlContext } from './sql-context.js';
import { makeSqlDocumentStore } from './sql-document-store.js';
import { makeSqlLedgerStore } from './sql-ledger-store.js';
import { makeSqlOutboxStore } from './sql-outbox-store.js';
import { makeSqlProcedureStore } from './sql-procedure-store.js';
import { makeSqlTenantStore } from './sql-tenant-store.js';

export const makeSqlSession = (context: SqlContext): StorageSession => ({
  tenants: makeSqlTenantStore(context),
  ledger: makeSqlLedgerStore(context),
  procedures: makeSqlProcedureStore(context),
  documents: makeSqlDocumentStore(context),
  outbox: makeSqlOutboxStore(context),
});
