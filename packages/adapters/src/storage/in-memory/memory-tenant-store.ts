import type { TenantStore } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { storableSettings } from '../records/record-check.js';
import { type Draft, memoryStep } from './in-memory-state.js';

export const makeMemoryTenantStore = (draft: Draft): TenantStore => ({
  getSettings: (tenantId) => memoryStep(() => E.right(O.fromNullable(draft.state.settings.get(tenantId)))),
  saveSettings: (tenantId, settings) =>
    memoryStep(() => {
      // Settings the SQL stores could not read back are refused here too (record-check.ts).
      const storable = storableSettings(settings);
      if (E.isLeft(storable)) return storable;
      draft.own('settings').set(tenantId, settings);
      return E.right(undefined);
    }),
});
