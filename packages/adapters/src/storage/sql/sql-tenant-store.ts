import { type TenantSettings, TenantSettingsCodec, type TenantStore } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type * as t from 'io-ts';
import { JsonColumn } from './column-codecs.js';
import { decodeRow } from './decode-row.js';
import type { SqlContext } from './sql-context.js';

const Settings = TenantSettingsCodec as t.Decoder<unknown, TenantSettings>;

export const makeSqlTenantStore = (context: SqlContext): TenantStore => ({
  getSettings: (tenantId) =>
    pipe(
      context.run('read tenant settings', (db) =>
        db.selectFrom('tenants').select('settings').where('tenant_id', '=', tenantId).executeTakeFirst(),
      ),
      TE.chainEitherK((row) =>
        row === undefined
          ? E.right(O.none)
          : pipe(
              decodeRow(JsonColumn, 'tenant settings')(row.settings),
              E.chain(decodeRow(Settings, 'tenant settings')),
              E.map(O.some),
            ),
      ),
    ),
  saveSettings: (tenantId, settings) =>
    context.run('save tenant settings', async (db) => {
      const json = JSON.stringify(settings);
      await db
        .insertInto('tenants')
        .values({ tenant_id: tenantId, settings: json })
        .onConflict((conflict) => conflict.column('tenant_id').doUpdateSet({ settings: json }))
        .execute();
    }),
});
