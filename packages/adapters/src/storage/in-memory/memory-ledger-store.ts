import { emptyBalance, type LedgerStore } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { storableBalance, storableEntries } from '../records/ledger-codec.js';
import { balanceAfter, tenantOfEntries } from '../storage-rules.js';
import { type Draft, memoryStep } from './in-memory-state.js';

export const makeMemoryLedgerStore = (draft: Draft): LedgerStore => ({
  // Units of work run one at a time, so reading the balance already holds the only "lock" there is.
  balanceForUpdate: (tenantId) =>
    memoryStep(() => E.right(draft.state.balances.get(tenantId) ?? emptyBalance)),
  append: (entries) =>
    memoryStep(() => {
      const tenant = tenantOfEntries(entries);
      if (E.isLeft(tenant)) return tenant;
      const tenantId = tenant.right;
      if (tenantId === undefined) return E.right(undefined);
      // Entries and a balance the SQL stores could not read back are refused here too (record-check.ts).
      const storable = storableEntries(entries);
      if (E.isLeft(storable)) return storable;
      const next = E.chain(storableBalance)(
        balanceAfter(draft.state.balances.get(tenantId) ?? emptyBalance, entries),
      );
      if (E.isLeft(next)) return next;
      draft.own('balances').set(tenantId, next.right);
      // A tenant's entries only grow: appended in place (undone by cutting back), read as copies.
      const ledger = draft.own('ledger');
      const existing = ledger.get(tenantId);
      if (existing === undefined) ledger.set(tenantId, [...entries]);
      else draft.appendTo(existing, entries);
      return E.right(undefined);
    }),
  entries: (tenantId) => memoryStep(() => E.right([...(draft.state.ledger.get(tenantId) ?? [])])),
});
