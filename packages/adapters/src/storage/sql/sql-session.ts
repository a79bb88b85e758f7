import type { StorageSession } from '@paraphe/domain';
import type { SqlContext } from './sql-context.js';
import { makeSqlDocumentStore } from './sql-document-store.js';
import { makeSqlLedgerStore } from './sql-ledger-store.js';
import { makeSqlOutboxStore } from './sql-outbox-store.js';
import { makeSqlProcedureStore } from './sql-procedure-store.js';
import { makeSqlTenantStore } from './sql-tenant-store.js';

/** Each store is made on first use (a unit of work rarely uses all five), then kept for the unit of work. */
export const makeSqlSession = (context: SqlContext): StorageSession => {
  let tenants: StorageSession['tenants'] | undefined;
  let ledger: StorageSession['ledger'] | undefined;
  let procedures: StorageSession['procedures'] | undefined;
  let documents: StorageSession['documents'] | undefined;
  let outbox: StorageSession['outbox'] | undefined;
  return {
    get tenants() {
      tenants ??= makeSqlTenantStore(context);
      return tenants;
    },
    get ledger() {
      ledger ??= makeSqlLedgerStore(context);
      return ledger;
    },
    get procedures() {
      procedures ??= makeSqlProcedureStore(context);
      return procedures;
    },
    get documents() {
      documents ??= makeSqlDocumentStore(context);
      return documents;
    },
    get outbox() {
      outbox ??= makeSqlOutboxStore(context);
      return outbox;
    },
  };
};
