import {
  type StorageError,
  type TenantSettings,
  TenantSettingsCodec,
  type TenantStore,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type * as t from 'io-ts';
import { JsonColumn } from '../records/column-codecs.js';
import { decodeRow } from '../records/decode-row.js';
import { storableSettings, toJson } from '../records/record-check.js';
import { compiledStatement } from './compiled-statement.js';
import type { SqlContext } from './sql-context.js';

const Settings = TenantSettingsCodec as t.Decoder<unknown, TenantSettings>;

// Settings are read by nearly every unit of work and change rarely; decoding them validates the time zone by
// building an Intl formatter, which costs more than the read. The decoded value is a pure function of the
// stored JSON, so it is kept per JSON text (bounded: a long-lived process sees few distinct settings).
const decoded = new Map<string, TenantSettings>();
const MAX_DECODED = 1000;

const decodeSettings = (column: unknown): E.Either<StorageError, TenantSettings> => {
  const key = typeof column === 'string' ? column : JSON.stringify(column);
  const known = decoded.get(key);
  if (known !== undefined) return E.right(known);
  return pipe(
    decodeRow(JsonColumn, 'tenant settings')(column),
    E.chain(decodeRow(Settings, 'tenant settings')),
    E.map((settings) => {
      if (decoded.size >= MAX_DECODED) decoded.clear();
      decoded.set(key, settings);
      return settings;
    }),
  );
};

const selectSettings = compiledStatement((db, slot) =>
  db.selectFrom('tenants').select('settings').where('tenant_id', '=', slot(0)),
);

export const makeSqlTenantStore = (context: SqlContext): TenantStore => ({
  getSettings: (tenantId) =>
    context.runThen(
      'read tenant settings',
      async () => {
        if (context.prefetchedSettings.has(tenantId)) {
          const settings = context.prefetchedSettings.get(tenantId);
          context.prefetchedSettings.delete(tenantId);
          return settings === null ? undefined : { settings };
        }
        return (await selectSettings(context, [tenantId])).rows[0];
      },
      (row) =>
        row === undefined ? E.right(O.none) : E.map(O.some<TenantSettings>)(decodeSettings(row.settings)),
    ),
  // Settings that would not read back are refused before anything is sent (storable(), record-check.ts).
  saveSettings: (tenantId, settings) => {
    const json = E.chain(toJson('tenant settings'))(storableSettings(settings));
    if (E.isLeft(json)) return TE.left(json.left);
    return context.run('save tenant settings', async (db) => {
      context.prefetchedSettings.delete(tenantId);
      await db
        .insertInto('tenants')
        .values({ tenant_id: tenantId, settings: json.right })
        .onConflict((conflict) => conflict.column('tenant_id').doUpdateSet({ settings: json.right }))
        .execute();
    });
  },
});
